import { sql, type SQL } from 'drizzle-orm';
import { getDbHandle, queryRows, type Db, type Tx } from '../../db/client';
import { newId } from '../../db/ids';
import type { Event } from '../../db/schema';
import { notifyWork } from '../delivery/wake';

// The database side of publishing, in two round trips whatever the number of events: one read (event types,
// subscribed endpoints, events holding the idempotency keys) and one statement that writes the events and their
// deliveries atomically, shared with the publishes that arrive meanwhile; the workers are woken after the commit.

/** What a publish needs to know before it writes. */
export type PublishContext = {
  types: Map<string, { id: string; name: string; schema: Record<string, unknown> }>;
  /** Every endpoint of the organization; a disabled one gets `skipped` deliveries. */
  endpoints: { id: string; eventTypes: string[]; enabled: boolean }[];
  /** Events holding one of the keys asked about, with their delivery counts (to be sent, and skipped). */
  keyed: Map<string, { event: Event; deliveries: number; skipped: number }>;
};

type Row = {
  types: { id: string; name: string; schema: Record<string, unknown> }[] | null;
  endpoints: { id: string; eventTypes: string[]; enabled: boolean }[] | null;
  keyed: { id: string; type: string; data: string; key: string; hash: string | null; createdAt: string; deliveries: number; skipped: number }[] | null;
};

// One query: the organization's event types of these names, its endpoints, and the events holding these keys.
export async function loadPublishContext(db: Db | Tx, orgId: string, names: string[], keys: string[]): Promise<PublishContext> {
  const [row] = await queryRows<Row>(
    db,
    sql`select
      (select json_agg(json_build_object('id', et.id, 'name', et.name, 'schema', et.schema))
         from event_types et where et.org_id = ${orgId} and et.name in (select json_array_elements_text(${JSON.stringify(names)}::json))) as types,
      (select json_agg(json_build_object('id', e.id, 'eventTypes', e.event_types, 'enabled', e.enabled))
         from endpoints e where e.org_id = ${orgId}) as endpoints,
      ${
        keys.length === 0
          ? sql`null::json`
          : sql`(select json_agg(json_build_object('id', ev.id, 'type', ev.type, 'data', ev.data, 'key', ev.idempotency_key, 'hash', ev.request_hash,
                   'createdAt', ev.created_at, 'deliveries', (select count(*) from deliveries d where d.event_id = ev.id and d.status <> 'skipped'),
                   'skipped', (select count(*) from deliveries d where d.event_id = ev.id and d.status = 'skipped')))
                 from events ev where ev.org_id = ${orgId} and ev.idempotency_key in (select json_array_elements_text(${JSON.stringify(keys)}::json)))`
      } as keyed`,
  );
  const keyed = new Map<string, { event: Event; deliveries: number; skipped: number }>();
  for (const k of row?.keyed ?? []) {
    const event: Event = { id: k.id, orgId, type: k.type, data: k.data, idempotencyKey: k.key, requestHash: k.hash, createdAt: new Date(k.createdAt) };
    keyed.set(k.key, { event, deliveries: Number(k.deliveries), skipped: Number(k.skipped) });
  }
  return { types: new Map((row?.types ?? []).map((t) => [t.name, t])), endpoints: row?.endpoints ?? [], keyed };
}

/** One delivery to create: its event (id and type) and endpoint; the id is made here unless given. `skipped` records
 * it as not sent (the endpoint is disabled). */
export type NewDelivery = { eventId: string; eventType: string; endpointId: string; id?: string; skipped?: boolean };

type DeliveryRow = { id: string; org_id: string; event_id: string; endpoint_id: string; event_type: string; at: string; skip?: 1 };

// The statement that makes pending deliveries, due at their creation time, from rows of any organizations; a row with
// `skip` becomes a `skipped` delivery (reason endpoint_disabled), never due.
function insertDeliveryRows(rows: DeliveryRow[]): SQL {
  return sql`insert into deliveries (id, org_id, event_id, endpoint_id, event_type, status, next_attempt_at, skip_reason, created_at)
    select r.id, r.org_id, r.event_id, r.endpoint_id, r.event_type,
      case when r.skip = 1 then 'skipped' else 'pending' end, case when r.skip = 1 then null else r.at end,
      case when r.skip = 1 then 'endpoint_disabled' end, r.at
    from json_to_recordset(${JSON.stringify(rows)}::json) as r(id text, org_id text, event_id text, endpoint_id text, event_type text, at timestamptz, skip int)`;
}

function deliveryRows(orgId: string, items: NewDelivery[], now: number): DeliveryRow[] {
  const at = new Date(now).toISOString();
  return items.map((d) => ({
    id: d.id ?? newId('dlv', now), org_id: orgId, event_id: d.eventId, endpoint_id: d.endpointId, event_type: d.eventType, at,
    ...(d.skipped ? { skip: 1 as const } : {}),
  }));
}

// The statement that makes pending deliveries, due now, for one or many events of an organization.
export function deliveriesInsert(orgId: string, items: NewDelivery[], now: number): SQL {
  return insertDeliveryRows(deliveryRows(orgId, items, now));
}

// The endpoints an event of `type` goes to: enabled, subscribed to the type or to '*'.
export function targetsOf(ctx: PublishContext, type: string): string[] {
  return ctx.endpoints.filter((e) => e.enabled && subscribed(e, type)).map((e) => e.id);
}

// The disabled endpoints subscribed to `type`: the event is recorded for them as a `skipped` delivery.
export function skippedOf(ctx: PublishContext, type: string): string[] {
  return ctx.endpoints.filter((e) => !e.enabled && subscribed(e, type)).map((e) => e.id);
}

const subscribed = (e: { eventTypes: string[] }, type: string) => e.eventTypes.includes(type) || e.eventTypes.includes('*');

/** An event to write, with the endpoints it goes to (and the disabled ones it is recorded as skipped for). */
export type NewEvent = {
  id: string; type: string; data: string; idempotencyKey: string | null; requestHash: string | null; endpointIds: string[]; skippedEndpointIds?: string[];
};

type Write = { orgId: string; items: NewEvent[]; now: number; done(err?: unknown): void };
// Publishes waiting for the statement in flight; the next statement writes them all (PostgreSQL's group commit, one
// level up: concurrent publishes share one statement and one commit instead of queueing for a commit each).
const waiting: Write[] = [];
let writing = false;
/** Events one shared statement writes at most (a batch request alone may hold 500). */
const MAX_GROUP_EVENTS = 1000;

// Writes events and their deliveries atomically, first releasing idempotency keys whose 24 hours are over; then wakes
// the workers. Resolves once they are committed. A key taken meanwhile fails with a unique violation, an endpoint
// deleted meanwhile with a foreign-key violation, as if the publish had been written alone.
export async function writeEvents(orgId: string, items: NewEvent[], now: number, expiredKeys: string[] = []): Promise<void> {
  if (items.length === 0) return;
  const handle = await getDbHandle();
  if (expiredKeys.length > 0) {
    await handle.db.execute(
      sql`update events set idempotency_key = null where org_id = ${orgId} and idempotency_key in (select json_array_elements_text(${JSON.stringify(expiredKeys)}::json))`,
    );
  }
  await new Promise<void>((resolve, reject) => {
    waiting.push({ orgId, items, now, done: (err) => (err === undefined ? resolve() : reject(err)) });
    if (!writing) void drain(handle.db);
  });
  if (items.some((e) => e.endpointIds.length > 0)) void notifyWork();
}

// Writes what is waiting, a group per statement, until nothing is. A group that fails on a constraint is written
// again one publish at a time, so that only the publish at fault gets the error.
async function drain(db: Db): Promise<void> {
  writing = true;
  try {
    while (waiting.length > 0) {
      let events = 0;
      let n = 0;
      while (n < waiting.length && (n === 0 || events + waiting[n]!.items.length <= MAX_GROUP_EVENTS)) events += waiting[n++]!.items.length;
      const group = waiting.splice(0, n);
      try {
        await db.execute(insertWrites(group));
        for (const w of group) w.done();
      } catch (err) {
        if (group.length === 1 || !isConstraintViolation(err)) {
          for (const w of group) w.done(err);
          continue;
        }
        for (const w of group) await db.execute(insertWrites([w])).then(() => w.done(), (e: unknown) => w.done(e));
      }
    }
  } finally {
    writing = false;
  }
}

// One statement (atomic without an explicit transaction) writing the events of every write and their deliveries.
function insertWrites(group: Write[]): SQL {
  const events = group.flatMap((w) => {
    const at = new Date(w.now).toISOString();
    return w.items.map((e) => ({ id: e.id, org_id: w.orgId, type: e.type, data: e.data, idempotency_key: e.idempotencyKey, request_hash: e.requestHash, at }));
  });
  const deliveries = group.flatMap((w) =>
    deliveryRows(w.orgId, w.items.flatMap((e) => [
      ...e.endpointIds.map((endpointId) => ({ eventId: e.id, eventType: e.type, endpointId })),
      ...(e.skippedEndpointIds ?? []).map((endpointId) => ({ eventId: e.id, eventType: e.type, endpointId, skipped: true })),
    ]), w.now),
  );
  return sql`
    with new_events as (
      insert into events (id, org_id, type, data, idempotency_key, request_hash, created_at)
      select r.id, r.org_id, r.type, r.data, r.idempotency_key, r.request_hash, r.at
      from json_to_recordset(${JSON.stringify(events)}::json) as r(id text, org_id text, type text, data text, idempotency_key text, request_hash text, at timestamptz)
      returning 1
    )${deliveries.length > 0 ? sql`, new_deliveries as (${insertDeliveryRows(deliveries)} returning 1)` : sql``}
    select (select count(*) from new_events)`;
}

function isConstraintViolation(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (e.code === '23505' || e.code === '23503') return true;
  }
  return false;
}
