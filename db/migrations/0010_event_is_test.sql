ALTER TABLE "events" ADD COLUMN "is_test" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Test events were marked by request_hash = 'test-event' (they never carry an idempotency key, so the hash had no
-- other use on them).
UPDATE "events" SET "is_test" = true, "request_hash" = NULL WHERE "request_hash" = 'test-event';
