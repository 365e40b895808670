ALTER TABLE "attempts" ADD COLUMN "dns_ms" real;--> statement-breakpoint
ALTER TABLE "attempts" ADD COLUMN "connect_ms" real;--> statement-breakpoint
ALTER TABLE "attempts" ADD COLUMN "tls_ms" real;--> statement-breakpoint
ALTER TABLE "attempts" ADD COLUMN "ttfb_ms" real;--> statement-breakpoint
ALTER TABLE "attempts" ADD COLUMN "connection_reused" boolean;