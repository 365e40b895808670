CREATE TABLE "alert_settings" (
	"org_id" text PRIMARY KEY NOT NULL,
	"emails" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"webhook_endpoint_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"endpoint_id" text NOT NULL,
	"type" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"data" text NOT NULL,
	"email_status" text NOT NULL,
	"email_sent_at" timestamp with time zone,
	"webhook_delivery_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alerts_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
ALTER TABLE "endpoints" ADD COLUMN "kind" text DEFAULT 'customer' NOT NULL;--> statement-breakpoint
ALTER TABLE "endpoints" ADD COLUMN "alerted_failing_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "endpoints" ADD COLUMN "alerted_disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alert_settings" ADD CONSTRAINT "alert_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_settings" ADD CONSTRAINT "alert_settings_webhook_endpoint_id_endpoints_id_fk" FOREIGN KEY ("webhook_endpoint_id") REFERENCES "public"."endpoints"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_endpoint_id_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alerts_org_idx" ON "alerts" USING btree ("org_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "alerts_endpoint_idx" ON "alerts" USING btree ("endpoint_id","type","email_sent_at");--> statement-breakpoint
CREATE INDEX "alerts_email_pending_idx" ON "alerts" USING btree ("org_id","created_at") WHERE email_status = 'pending';--> statement-breakpoint
CREATE INDEX "endpoints_failing_idx" ON "endpoints" USING btree ("failing_since") WHERE failing_since is not null;--> statement-breakpoint
CREATE INDEX "endpoints_alert_state_idx" ON "endpoints" USING btree ("id") WHERE not enabled or alerted_disabled_at is not null;