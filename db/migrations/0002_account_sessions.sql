ALTER TABLE "users" ADD COLUMN "sessions_valid_after" timestamp with time zone;
--> statement-breakpoint
-- hand-written
-- Attempts keep their request headers' names, but custom header values (secrets) are masked, as new attempts record them.
UPDATE "attempts" SET "request_headers" = (
  SELECT json_object_agg(h.key, CASE WHEN lower(h.key) IN ('webhook-id', 'webhook-timestamp', 'webhook-signature', 'x-webhook-signature',
    'x-signature', 'content-type', 'content-length', 'user-agent', 'host') THEN h.value ELSE to_json('••••••'::text) END)
  FROM json_each("attempts"."request_headers") h)
WHERE "request_headers" IS NOT NULL AND json_typeof("request_headers") = 'object'
  AND EXISTS (SELECT 1 FROM json_each("attempts"."request_headers") h WHERE lower(h.key) NOT IN ('webhook-id', 'webhook-timestamp',
    'webhook-signature', 'x-webhook-signature', 'x-signature', 'content-type', 'content-length', 'user-agent', 'host'));
