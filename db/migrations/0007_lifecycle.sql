ALTER TABLE "deliveries" ADD COLUMN "skip_reason" text;--> statement-breakpoint
ALTER TABLE "endpoints" ADD COLUMN "paused_at" timestamp with time zone;