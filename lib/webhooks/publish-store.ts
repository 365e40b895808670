import { sql, type SQL } from 'drizzle-orm';
import { getDbHandle, queryRows, type Db, type Tx } from '../../db/client';
import { newId } from '../../db/ids';
import type { Event } from '../../db/schema';
import { notifyWork } from '../delivery/wake';

// The database side of publishing, in two round trips whatever the number of events: one read (event types,
// subscribed endpoints, events holding the idempotency keys) and one statement that writes the events and their
// deliveries atomically; the workers are woken after the commit.

/** What a publish needs to know before it writes. */
export type PublishContext = {
  types: Map<string, { id: string; name: string; schema: Record<string, unknown> }>;
  endpoints: { id: string; eventTypes: string[] }[];
  /** Events holding one of the keys asked about, with their delivery count. */
  keyed: Map<string, { event: Event; deliveries: number }>;
};

type Row = {
  types: { id: string; name: string; schema: Record<string, unknown> }[] | null;
  endpoints: { id: string; eventTypes: string[] }[] | null;
  keyed: { id: string; type: string; data: string; key: string; hash: string | null; createdAt: string; deliveries: number }[] | null;
};

// One query: the organization's event types of these names, its enabled endpoints, and the events holding these keys.
export async function loadPublishContext(db: Db | Tx, orgId: string, names: string[], keys: string[]): Promise<PublishContext> {
  const [row] = await queryRows<Row>(
    db,
    sql`select
      (select json_agg(json_build_object('id', et.id, 'name', et.name, 'schema', et.schema))
         from event_types et where et.org_id = ${orgId} and et.name in (select json_array_elements_text(${JSON.stringify(names)}::json))) as types,
      (select json_agg(json_build_object('id', e.id, 'eventTypes', e.event_types))
         from endpoints e where e.org_id = ${orgId} and e.enabled) as endpoints,
      ${
        keys.length === 0
          ? sql`null::json`
          : sql`(select json_agg(json_build_object('id', ev.id, 'type', ev.type, 'data', ev.data, 'key', ev.idempotency_key, 'hash', ev.request_hash,
                   'createdAt', ev.created_at, 'deliveries', (select count(*) from deliveries d where d.event_id = ev.id)))
                 from events ev where ev.org_id = ${orgId} and ev.idempotency_key in (select json_array_elements_text(${JSON.stringify(keys)}::json)))`
      } as keyed`,
  );
  const keyed = new Map<string, { event: Event; deliveries: number }>();
  for (const k of row?.keyed ?? []) {
    const event: Event = { id: k.id, orgId, type: k.type, data: k.data, idempotencyKey: k.key, requestHash: k.hash, createdAt: new Date(k.createdAt) };
    keyed.set(k.key, { event, deliveries: Number(k.deliveries) });
  }
  return { types: new Map((row?.types ?? []).map((t) => [t.name, t])), endpoints: row?.endpoints ?? [], keyed };
}

/** One delivery to create: its event (id and type) and endpoint; the id is made here unless given. */
export type NewDelivery = { eventId: string; eventType: string; endpointId: string; id?: string };

// The statement that makes pending deliveries, due now, for one or many events of an organization.
export function deliveriesInsert(orgId: string, items: NewDelivery[], now: number): SQL {
  const at = new Date(now).toISOString();
  const rows = items.map((d) => ({ id: d.id ?? newId('dlv', now), event_id: d.eventId, endpoint_id: d.endpointId, event_type: d.eventType }));
  return sql`insert into deliveries (id, org_id, event_id, endpoint_id, event_type, status, next_attempt_at, created_at)
    select r.id, ${orgId}, r.event_id, r.endpoint_id, r.event_type, 'pending', ${at}::timestamptz, ${at}::timestamptz
    from json_to_recordset(${JSON.stringify(rows)}::json) as r(id text, event_id text, endpoint_id text, event_type text)`;
}

// The endpoints an event of `type` goes to: enabled, subscribed to the type or to '*'.
export function targetsOf(ctx: PublishContext, type: string): string[] {
  return ctx.endpoints.filter((e) => e.eventTypes.includes(type) || e.eventTypes.includes('*')).map((e) => e.id);
}

/** An event to write, with the endpoints it goes to. */
export type NewEvent = { id: string; type: string; data: string; idempotencyKey: string | null; requestHash: string | null; endpointIds: string[] };

// Writes events and their deliveries in one statement (atomic without an explicit transaction), first releasing
// idempotency keys whose 24 hours are over; then wakes the workers. A key taken meanwhile fails with a unique violation.
export async function writeEvents(orgId: string, items: NewEvent[], now: number, expiredKeys: string[] = []): Promise<void> {
  if (items.length === 0) return;
  const handle = await getDbHandle();
  if (expiredKeys.length > 0) {
    await handle.db.execute(
      sql`update events set idempotency_key = null where org_id = ${orgId} and idempotency_key in (select json_array_elements_text(${JSON.stringify(expiredKeys)}::json))`,
    );
  }
  const at = new Date(now).toISOString();
  const rows = items.map((e) => ({ id: e.id, type: e.type, data: e.data, idempotency_key: e.idempotencyKey, request_hash: e.requestHash }));
  const deliveries = items.flatMap((e) => e.endpointIds.map((endpointId) => ({ eventId: e.id, eventType: e.type, endpointId })));
  await handle.db.execute(sql`
    with new_events as (
      insert into events (id, org_id, type, data, idempotency_key, request_hash, created_at)
      select r.id, ${orgId}, r.type, r.data, r.idempotency_key, r.request_hash, ${at}::timestamptz
      from json_to_recordset(${JSON.stringify(rows)}::json) as r(id text, type text, data text, idempotency_key text, request_hash text)
      returning 1
    )${deliveries.length > 0 ? sql`, new_deliveries as (${deliveriesInsert(orgId, deliveries, now)} returning 1)` : sql``}
    select (select count(*) from new_events)`);
  if (deliveries.length > 0) void notifyWork();
}
