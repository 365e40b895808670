CREATE TABLE "delivery_queue" (
	"delivery_id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"endpoint_id" text NOT NULL,
	"event_id" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"lease_owner" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"schedule_step" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
DROP INDEX "deliveries_due_idx";--> statement-breakpoint
DROP INDEX "deliveries_lease_idx";--> statement-breakpoint
ALTER TABLE "delivery_queue" ADD CONSTRAINT "delivery_queue_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "delivery_queue_due_idx" ON "delivery_queue" USING btree ("org_id","due_at");--> statement-breakpoint
-- Pending deliveries enter the queue as they are made (publish, test events, anything that inserts one); a row inserted
-- as delivering keeps its lease.
CREATE FUNCTION hookrelay_queue_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO delivery_queue (delivery_id, org_id, endpoint_id, event_id, due_at, lease_owner, attempts, schedule_step)
  SELECT n.id, n.org_id, n.endpoint_id, n.event_id,
    CASE WHEN n.status = 'delivering' THEN coalesce(n.lease_expires_at, now()) ELSE coalesce(n.next_attempt_at, now()) END,
    CASE WHEN n.status = 'delivering' THEN n.lease_owner END, n.attempts, n.schedule_step
  FROM new_rows n WHERE n.status IN ('pending', 'delivering');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER deliveries_queue_insert AFTER INSERT ON deliveries REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION hookrelay_queue_inserted();
--> statement-breakpoint
-- A delivery that leaves the pending states (succeeded, failed, or any final status) leaves the queue. One that is made
-- pending again (a replay) or whose due time is changed by anything but a worker's result (a worker's result sets
-- last_attempt_at and keeps its queue row itself) is queued at that time, never taking a live lease away.
CREATE FUNCTION hookrelay_queue_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM delivery_queue q USING new_rows n WHERE q.delivery_id = n.id AND n.status NOT IN ('pending', 'delivering');
  INSERT INTO delivery_queue (delivery_id, org_id, endpoint_id, event_id, due_at, lease_owner, attempts, schedule_step)
  SELECT n.id, n.org_id, n.endpoint_id, n.event_id, coalesce(n.next_attempt_at, now()), NULL, n.attempts, n.schedule_step
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE n.status = 'pending' AND (o.status NOT IN ('pending', 'delivering')
    OR (n.next_attempt_at IS DISTINCT FROM o.next_attempt_at AND n.last_attempt_at IS NOT DISTINCT FROM o.last_attempt_at))
  ON CONFLICT (delivery_id) DO UPDATE SET due_at = excluded.due_at, attempts = excluded.attempts, schedule_step = excluded.schedule_step
    WHERE delivery_queue.lease_owner IS NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER deliveries_queue_update AFTER UPDATE ON deliveries REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION hookrelay_queue_updated();
--> statement-breakpoint
-- Backfill: every unfinished delivery, with its lease when one is held.
INSERT INTO delivery_queue (delivery_id, org_id, endpoint_id, event_id, due_at, lease_owner, attempts, schedule_step)
SELECT id, org_id, endpoint_id, event_id,
  CASE WHEN status = 'delivering' THEN coalesce(lease_expires_at, now()) ELSE coalesce(next_attempt_at, now()) END,
  CASE WHEN status = 'delivering' THEN lease_owner END, attempts, schedule_step
FROM deliveries WHERE status IN ('pending', 'delivering');
--> statement-breakpoint
-- A small, fast-churning table (a row is made, claimed and removed per delivery): vacuum it by dead rows, not by size.
ALTER TABLE delivery_queue SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000);
