import { sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '@/db/client';
import { notifyWork } from '@/lib/delivery/wake';
import { raiseAlerts, type NewAlert } from './raise';
import { disableDeadline } from '@/lib/delivery/disable-policy';

const HOUR_MS = 3_600_000;
// An endpoint failing this long without a success raises endpoint.failing.
export const FAILING_ALERT_MS = 24 * HOUR_MS;

const iso = (ms: number) => new Date(ms).toISOString();
type Row = { id: string; org_id: string; url: string; at_ms: number | string | null; reason: string | null };

// Looks for endpoints whose state changed since the last alert and raises endpoint.failing, endpoint.disabled and
// endpoint.enabled. Each change is taken by compare-and-set on the endpoint row (alerted_failing_since /
// alerted_disabled_at) in the same transaction that records the alert, so several workers scanning at once raise it
// once. Operational webhooks never alert about themselves. Returns how many alerts were raised.
export async function scanEndpoints(db: Db, now: number): Promise<number> {
  const raised = await db.transaction(async (tx) => {
    const out: NewAlert[] = [];
    // 24 h of failures without a success (failing_since is cleared by a success and by Enable)
    for (const r of await queryRows<Row>(tx, sql`
      update endpoints set alerted_failing_since = failing_since
      where failing_since is not null and failing_since <= ${iso(now - FAILING_ALERT_MS)}::timestamptz
        and enabled and kind = 'customer' and alerted_failing_since is distinct from failing_since
      returning id, org_id, url, (extract(epoch from failing_since) * 1000)::float8 as at_ms, null::text as reason`)) {
      const since = Number(r.at_ms);
      out.push({
        orgId: r.org_id,
        endpointId: r.id,
        type: 'endpoint.failing',
        dedupeKey: `endpoint.failing:${r.id}:${since}`,
        data: {
          endpointId: r.id,
          url: r.url,
          reason: `No delivery has succeeded since ${iso(since)}`,
          disableAt: disableDeadline(new Date(since)).toISOString(),
        },
      });
    }
    // disabled by Hookrelay (410 Gone, or 5 days of failures); a member's Disable is not an alert
    for (const r of await queryRows<Row>(tx, sql`
      update endpoints set alerted_disabled_at = disabled_at
      where not enabled and disabled_at is not null and kind = 'customer'
        and alerted_disabled_at is distinct from disabled_at and coalesce(disabled_reason, '') not like 'Disabled by %'
      returning id, org_id, url, (extract(epoch from disabled_at) * 1000)::float8 as at_ms, disabled_reason as reason`)) {
      out.push({
        orgId: r.org_id,
        endpointId: r.id,
        type: 'endpoint.disabled',
        dedupeKey: `endpoint.disabled:${r.id}:${Number(r.at_ms)}`,
        data: { endpointId: r.id, url: r.url, reason: r.reason ?? 'Disabled by Hookrelay' },
      });
    }
    // enabled again after a disabled alert
    for (const r of await queryRows<Row & { was_ms: number | string }>(tx, sql`
      with e as (
        select id, alerted_disabled_at from endpoints where enabled and alerted_disabled_at is not null and kind = 'customer' for update
      )
      update endpoints set alerted_disabled_at = null from e where endpoints.id = e.id
      returning endpoints.id, endpoints.org_id, endpoints.url, (extract(epoch from e.alerted_disabled_at) * 1000)::float8 as was_ms`)) {
      out.push({
        orgId: r.org_id,
        endpointId: r.id,
        type: 'endpoint.enabled',
        dedupeKey: `endpoint.enabled:${r.id}:${Number(r.was_ms)}`,
        data: { endpointId: r.id, url: r.url, reason: 'The endpoint was enabled again' },
      });
    }
    return out.length ? raiseAlerts(tx, out, now) : 0;
  });
  if (raised > 0) await notifyWork();
  return raised;
}

// A finished attempt, as the worker hands it over after its result was written.
export type FinishedAttempt = { deliveryId: string; attemptId: string; ok: boolean };

// Raises delivery.exhausted for attempts that left their delivery `failed` (every scheduled attempt failed, for a
// published event or a replay alike): checked in the database, so an attempt whose result was not written (lease
// lost) raises nothing. Keyed by the attempt, so once per exhaustion. Test events and alert events raise nothing.
export async function raiseExhausted(db: Db, done: readonly FinishedAttempt[], now: number): Promise<number> {
  const failed = done.filter((d) => !d.ok).map((d) => d.attemptId);
  if (failed.length === 0) return 0;
  const raised = await db.transaction(async (tx: Tx) => {
    const rows = await queryRows<{ attempt_id: string; delivery_id: string; org_id: string; endpoint_id: string; url: string; status: number | null; cause: string | null; message: string | null }>(tx, sql`
      select a.id as attempt_id, d.id as delivery_id, d.org_id, d.endpoint_id, e.url, a.response_status as status,
        a.failure_cause as cause, a.failure_message as message
      from attempts a
      join deliveries d on d.id = a.delivery_id
      join endpoints e on e.id = d.endpoint_id
      join events ev on ev.id = d.event_id
      where a.id in (select json_array_elements_text(${JSON.stringify(failed)}::json))
        and d.status = 'failed' and e.kind = 'customer' and not ev.is_test
        and not exists (select 1 from attempts later where later.delivery_id = d.id and later.number > a.number)`);
    return raiseAlerts(
      tx,
      rows.map((r) => ({
        orgId: r.org_id,
        endpointId: r.endpoint_id,
        type: 'delivery.exhausted' as const,
        dedupeKey: `delivery.exhausted:${r.attempt_id}`,
        data: {
          endpointId: r.endpoint_id,
          url: r.url,
          reason: `Every scheduled attempt of delivery ${r.delivery_id} failed${r.message ? `: ${r.message.slice(0, 300)}` : ''}`,
          deliveryId: r.delivery_id,
          lastStatus: r.status === null ? null : Number(r.status),
          cause: r.cause,
        },
      })),
      now,
    );
  });
  if (raised > 0) await notifyWork();
  return raised;
}
