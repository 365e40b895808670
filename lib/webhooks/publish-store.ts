import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type DbHandle, type Tx } from '@/db/client';
import { preparedQuery } from '@/db/prepared';
import { getDbHandle } from '@/lib/db';
import { newId } from '@/db/ids';
import type { Event } from '@/db/schema';
import { WORK_CHANNEL, wakeLocalWorkers } from '@/lib/delivery/wake';

// The database side of publishing. A publish reads what it needs (event types, subscribed endpoints, events holding
// its idempotency keys), checks the data, then writes the events and their deliveries atomically in one statement
// shared with the publishes that arrive meanwhile; the workers are woken after the commit. The read of event types and
// endpoints is cached per organization: the write carries the organization's config_version it read and is refused
// when that went stale (triggers bump it on every change, migration 0005), and the publish reads again and retries.
// So a publish without idempotency keys is one round trip, and a config change is never missed.

/** What a publish needs to know before it writes. */
export type PublishContext = {
  /** The organization's config_version when this was read. */
  version: number;
  types: Map<string, { id: string; name: string; schema: Record<string, unknown> }>;
  /** Every endpoint of the organization; a disabled one gets `skipped` deliveries. */
  endpoints: { id: string; eventTypes: string[]; enabled: boolean }[];
  /** Events holding one of the keys asked about, with their delivery counts (to be sent, and skipped). */
  keyed: Map<string, { event: Event; deliveries: number; skipped: number }>;
};

type Row = {
  version: number | null;
  types: { id: string; name: string; schema: Record<string, unknown> }[] | null;
  endpoints: { id: string; eventTypes: string[]; enabled: boolean }[] | null;
  keyed: { id: string; type: string; data: string; key: string; hash: string | null; createdAt: string; deliveries: number; skipped: number }[] | null;
};

// One query: the organization's config_version, its event types of these names, its endpoints, and the events holding
// these keys.
export async function loadPublishContext(db: Db | Tx, orgId: string, names: string[], keys: string[]): Promise<PublishContext> {
  const [row] = await queryRows<Row>(
    db,
    sql`select
      (select o.config_version from organizations o where o.id = ${orgId}) as version,
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
    const event: Event = { id: k.id, orgId, type: k.type, data: k.data, idempotencyKey: k.key, requestHash: k.hash, isTest: false, createdAt: new Date(k.createdAt) };
    keyed.set(k.key, { event, deliveries: Number(k.deliveries), skipped: Number(k.skipped) });
  }
  const ctx = { version: Number(row?.version ?? -1), types: new Map((row?.types ?? []).map((t) => [t.name, t])), endpoints: row?.endpoints ?? [], keyed };
  remember(db, orgId, ctx);
  return ctx;
}

// The context for a publish: from this process's cache when it holds every type named and no keys are asked about
// (an idempotency key is looked up in the database every time), else read.
export async function publishContext(db: Db, orgId: string, names: string[], keys: string[], fresh = false): Promise<PublishContext> {
  if (!fresh && keys.length === 0) {
    const { orgs } = cacheOf(db);
    const cached = orgs.get(orgId);
    if (cached && names.every((n) => cached.types.has(n))) {
      orgs.delete(orgId);
      orgs.set(orgId, cached); // most recently used last
      return { ...cached, keyed: new Map() };
    }
  }
  return loadPublishContext(db, orgId, names, keys);
}

type Cached = Omit<PublishContext, 'keyed'> & { bytes: number };
/** What the cache may hold at most: schemas are up to 64 KiB each, so it is bounded by their size, not by count. */
const CACHE_MAX_BYTES = 16 * 1024 * 1024;
const CACHE_MAX_ORGS = 5000;
/** Per database handle: the organizations read, least recently used first, and the bytes they hold. */
type Cache = { orgs: Map<string, Cached>; bytes: number };
const caches = new WeakMap<object, Cache>();
const cacheOf = (db: Db | Tx): Cache => caches.get(db) ?? (caches.set(db, { orgs: new Map(), bytes: 0 }), caches.get(db)!);

// Keeps what a read found (merging event types read under the same version), evicting the least recently used.
function remember(db: Db | Tx, orgId: string, ctx: PublishContext): void {
  if (ctx.version < 0) return; // no such organization
  const cache = cacheOf(db);
  const old = cache.orgs.get(orgId);
  const types = new Map(old && old.version === ctx.version ? old.types : []);
  for (const [name, t] of ctx.types) types.set(name, t);
  let bytes = 256 + ctx.endpoints.reduce((n, e) => n + 64 + e.eventTypes.join().length, 0);
  for (const t of types.values()) bytes += 64 + t.name.length + JSON.stringify(t.schema).length;
  if (old) {
    cache.bytes -= old.bytes;
    cache.orgs.delete(orgId);
  }
  if (bytes > CACHE_MAX_BYTES / 4) return;
  cache.orgs.set(orgId, { version: ctx.version, types, endpoints: ctx.endpoints, bytes });
  cache.bytes += bytes;
  for (const [id, c] of cache.orgs) {
    if (cache.bytes <= CACHE_MAX_BYTES && cache.orgs.size <= CACHE_MAX_ORGS) break;
    cache.orgs.delete(id);
    cache.bytes -= c.bytes;
  }
}

/** A write refused because the organization's endpoints or event types changed since the publish read them. */
export class StalePublishContext extends Error {
  constructor(readonly orgId: string) {
    super(`The endpoints or event types of ${orgId} changed while publishing; read them again.`);
  }
}

/** One delivery to create: its event (id and type) and endpoint; the id is made here unless given. `skipped` records
 * it as not sent (the endpoint is disabled). */
export type NewDelivery = { eventId: string; eventType: string; endpointId: string; id?: string; skipped?: boolean };

type DeliveryRow = { id: string; org_id: string; event_id: string; endpoint_id: string; event_type: string; at: string; skip?: 1 };

// The statement that makes pending deliveries, due at their creation time, from rows of any organizations; a row with
// `skip` becomes a `skipped` delivery (reason endpoint_disabled), never due.
function insertDeliveryRows(rows: DeliveryRow[], where: SQL = sql``): SQL {
  return sql`insert into deliveries (id, org_id, event_id, endpoint_id, event_type, status, next_attempt_at, skip_reason, created_at)
    select r.id, r.org_id, r.event_id, r.endpoint_id, r.event_type,
      case when r.skip = 1 then 'skipped' else 'pending' end, case when r.skip = 1 then null else r.at end,
      case when r.skip = 1 then 'endpoint_disabled' end, r.at
    from json_to_recordset(${JSON.stringify(rows)}::json) as r(id text, org_id text, event_id text, endpoint_id text, event_type text, at timestamptz, skip int)
    ${where}`;
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

type Write = { orgId: string; version: number; items: NewEvent[]; now: number; done(err?: unknown): void };
// Publishes waiting for a statement; the next statement writes them all (PostgreSQL's group commit, one level up:
// concurrent publishes share one statement and one commit instead of queueing for a commit each). A few statements
// run at once (on their own pool connections), so one slow commit does not hold every publish behind it.
const waiting: Write[] = [];
/** Statements in flight at most: while they run, further publishes wait and go out together in the next ones. */
const MAX_WRITERS = 2;
let writers = 0;
/** Events one shared statement writes at most (a batch request alone may hold 500). */
const MAX_GROUP_EVENTS = 1000;

// Writes events and their deliveries atomically, first releasing idempotency keys whose 24 hours are over; the
// statement NOTIFYs the workers of other processes at its commit (on PostgreSQL; one notifying commit at a time, but
// the MAX_WRITERS statements already carry every publish waiting, and the worker hears of the work one round trip
// sooner than from a NOTIFY sent after the commit: at 100 publishes/s, publish → arrival p50 11 → 8-9 ms, p99 53 →
// 38-43 ms in bench:api), and this process's worker is woken after it. Resolves once they are committed. `version` is
// the organization's config_version the publish read: when it has changed since, nothing is written and this fails
// with StalePublishContext. A key taken meanwhile fails with a unique violation, an endpoint deleted meanwhile with a
// foreign-key violation, as if the publish had been written alone.
export async function writeEvents(orgId: string, version: number, items: NewEvent[], now: number, expiredKeys: string[] = []): Promise<void> {
  if (items.length === 0) return;
  const handle = await getDbHandle();
  if (expiredKeys.length > 0) {
    await handle.db.execute(
      sql`update events set idempotency_key = null where org_id = ${orgId} and idempotency_key in (select json_array_elements_text(${JSON.stringify(expiredKeys)}::json))`,
    );
  }
  await new Promise<void>((resolve, reject) => {
    waiting.push({ orgId, version, items, now, done: (err) => (err === undefined ? resolve() : reject(err)) });
    if (writers < MAX_WRITERS) void drain(handle);
  });
  if (items.some((e) => e.endpointIds.length > 0)) wakeLocalWorkers(); // the statement itself NOTIFYs other processes
}

// Writes what is waiting, a group per statement, until nothing is. A group that fails on a constraint is written
// again one publish at a time, so that only the publish at fault gets the error.
async function drain(handle: DbHandle): Promise<void> {
  const query = preparedQuery(handle);
  const notify = handle.kind === 'postgres'; // PGlite: the worker is in this process, woken by wakeLocalWorkers
  writers += 1;
  try {
    while (waiting.length > 0) {
      let events = 0;
      let n = 0;
      while (n < waiting.length && (n === 0 || events + waiting[n]!.items.length <= MAX_GROUP_EVENTS)) events += waiting[n++]!.items.length;
      const group = waiting.splice(0, n);
      try {
        settle(group, await query<{ ids: string[] }>('hookrelay_publish', insertWrites(group, notify)));
      } catch (err) {
        if (group.length === 1 || !isConstraintViolation(err)) {
          for (const w of group) w.done(err);
          continue;
        }
        for (const w of group) await query<{ ids: string[] }>('hookrelay_publish', insertWrites([w], notify)).then((rows) => settle([w], rows), (e: unknown) => w.done(e));
      }
    }
  } finally {
    writers -= 1;
  }
}

// Resolves each write of a statement: written, or refused because its organization's config_version moved on.
function settle(group: Write[], rows: { ids: string[] }[]): void {
  const written = new Set(rows[0]?.ids ?? []);
  for (const w of group) w.done(written.has(w.items[0]!.id) ? undefined : new StalePublishContext(w.orgId));
}

// One statement (atomic without an explicit transaction; prepared, its text the same whatever it writes) writing the
// events of every write whose organization is still at the config_version the write read, and their deliveries;
// answers the ids of the events written.
function insertWrites(group: Write[], notify: boolean): SQL {
  const events = group.flatMap((w) => {
    const at = new Date(w.now).toISOString();
    return w.items.map((e) => ({
      id: e.id, org_id: w.orgId, version: w.version, type: e.type, data: e.data, idempotency_key: e.idempotencyKey, request_hash: e.requestHash, at,
    }));
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
      from json_to_recordset(${JSON.stringify(events)}::json)
        as r(id text, org_id text, version int, type text, data text, idempotency_key text, request_hash text, at timestamptz)
      where exists (select 1 from organizations o where o.id = r.org_id and o.config_version = r.version)
      returning id
    ), new_deliveries as (${insertDeliveryRows(deliveries, sql`where r.event_id in (select id from new_events)`)} returning 1)
    select coalesce((select json_agg(id) from new_events), '[]'::json) as ids${
      notify ? sql`, (select pg_notify(${WORK_CHANNEL}, '') where exists (select 1 from new_deliveries)) as notified` : sql``
    }`;
}

function isConstraintViolation(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (e.code === '23505' || e.code === '23503') return true;
  }
  return false;
}
