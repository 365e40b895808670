import { and, asc, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { newId } from '@/db/ids';
import { attempts, deliveries, deliveryQueue, DELIVERY_CURSOR, DELIVERY_STATUSES, endpoints, events, type Attempt, type DeliveryStatus, type SkipReason } from '@/db/schema';
import { assertCan, type Actor } from '@/lib/auth/permissions';
import { ONE_ATTEMPT_RUN } from '@/lib/delivery/retry';
import { notifyWork } from '@/lib/delivery/wake';
import { notUnderWay, queueJoin, statusIs, visibleAttempts, visibleStatus } from '@/lib/delivery/queue';
import { NotFoundError, UserError } from '@/lib/errors';
import { recordAudit } from '@/lib/audit/log';
import { maskRequestHeaders } from './endpoint-input';

// Narrows a delivery list; since/until bound the creation time.
export type DeliveryFilter = {
  endpointId?: string;
  status?: DeliveryStatus;
  eventType?: string;
  since?: Date;
  until?: Date;
  eventId?: string;
};

// One delivery as the lists show it: its event, endpoint, state and last result.
export type DeliveryRow = {
  id: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  endpointUrl: string;
  status: DeliveryStatus;
  /** Why a `skipped` delivery was not sent (`endpoint_disabled`); null otherwise. */
  skipReason: SkipReason | null;
  /** Attempts in the current run of the schedule; ONE_ATTEMPT_RUN or more after a plain replay (no retries follow). */
  scheduleStep: number;
  attempts: number;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  test: boolean;
};

// A delivery with its event (data as stored text, key order intact) and every attempt in order.
export type DeliveryDetail = {
  delivery: DeliveryRow;
  event: { id: string; type: string; data: string; createdAt: Date; test: boolean };
  attempts: Attempt[];
};

const MAX_LIMIT = 200;

const rowColumns = {
  id: deliveries.id,
  eventId: deliveries.eventId,
  eventType: deliveries.eventType,
  endpointId: deliveries.endpointId,
  endpointUrl: endpoints.url,
  status: visibleStatus,
  skipReason: deliveries.skipReason,
  scheduleStep: deliveries.scheduleStep,
  attempts: visibleAttempts,
  lastStatusCode: deliveries.lastStatusCode,
  lastLatencyMs: deliveries.lastLatencyMs,
  lastAttemptAt: deliveries.lastAttemptAt,
  nextAttemptAt: deliveries.nextAttemptAt,
  createdAt: deliveries.createdAt,
  test: events.isTest,
};

// The smallest delivery id made at a time (ids start with their creation time), to range over ids with the index.
const idAt = (d: Date) => newId('dlv', d.getTime()).slice(0, 14);

// Lists an organization's deliveries, newest first, one page at a time (keyset on the id; pass back nextCursor).
export async function listDeliveries(
  orgId: string,
  filter: DeliveryFilter = {},
  cursor: string | null = null,
  limit = 50,
): Promise<{ data: DeliveryRow[]; nextCursor: string | null }> {
  if (cursor && !DELIVERY_CURSOR.test(cursor)) throw new UserError('The page cursor is not valid; start again from the first page.', { cursor: ['Invalid cursor.'] });
  if (filter.status && !DELIVERY_STATUSES.includes(filter.status)) {
    throw new UserError(`Unknown status "${filter.status}"; use one of ${DELIVERY_STATUSES.join(', ')}.`, { status: ['Unknown status.'] });
  }
  const n = Math.min(Math.max(Math.floor(limit) || 50, 1), MAX_LIMIT);
  const where: (SQL | undefined)[] = [
    eq(deliveries.orgId, orgId),
    eq(endpoints.kind, 'customer'), // an operational webhook's deliveries are listed on Settings → Alerts
    filter.endpointId ? eq(deliveries.endpointId, filter.endpointId) : undefined,
    filter.status ? statusIs(filter.status) : undefined,
    filter.eventType ? eq(deliveries.eventType, filter.eventType) : undefined,
    filter.eventId ? eq(deliveries.eventId, filter.eventId) : undefined,
    filter.since ? gte(deliveries.id, idAt(filter.since)) : undefined,
    filter.until ? lt(deliveries.id, idAt(filter.until)) : undefined,
    cursor ? lt(deliveries.id, cursor) : undefined,
  ];
  const db = await getDb();
  const rows = await db
    .select(rowColumns)
    .from(deliveries)
    .innerJoin(endpoints, eq(endpoints.id, deliveries.endpointId))
    .innerJoin(events, eq(events.id, deliveries.eventId))
    .leftJoin(deliveryQueue, queueJoin)
    .where(and(...where))
    .orderBy(desc(deliveries.id))
    .limit(n + 1);
  const more = rows.length > n;
  const data = (more ? rows.slice(0, n) : rows).map((r) => ({ ...r, test: Boolean(r.test) }));
  return { data, nextCursor: more ? data[data.length - 1]!.id : null };
}

// One delivery of the organization with its event and attempts; NotFoundError when it is not in this org.
export async function getDelivery(orgId: string, id: string): Promise<DeliveryDetail> {
  const db = await getDb();
  const [row] = await db
    .select({ ...rowColumns, data: events.data, eventCreatedAt: events.createdAt })
    .from(deliveries)
    .innerJoin(endpoints, eq(endpoints.id, deliveries.endpointId))
    .innerJoin(events, eq(events.id, deliveries.eventId))
    .leftJoin(deliveryQueue, queueJoin)
    .where(and(eq(deliveries.orgId, orgId), eq(deliveries.id, id)));
  if (!row) throw new NotFoundError('Delivery');
  const rows = await db.select().from(attempts).where(and(eq(attempts.orgId, orgId), eq(attempts.deliveryId, id))).orderBy(asc(attempts.number));
  // recorded masked; masked again in case an attempt was recorded by an older version
  const list = rows.map((a) => (a.requestHeaders ? { ...a, requestHeaders: maskRequestHeaders(a.requestHeaders) } : a));
  const { data, eventCreatedAt, ...rest } = row;
  const test = Boolean(rest.test);
  return { delivery: { ...rest, test }, event: { id: rest.eventId, type: rest.eventType, data, createdAt: eventCreatedAt, test }, attempts: list };
}

/** How a replay retries: `once` (default) makes one attempt and leaves the delivery failed if it fails, as Stripe's
 * and Svix's resend; `schedule` gives it a fresh run of the retry schedule. */
export type ReplayOptions = { retry?: 'once' | 'schedule' };

// The step a replay leaves: a fresh run (0) on request, else a run with no retries left. A pending delivery waiting
// for its next retry keeps its run (Replay brings that retry forward) unless a fresh run is asked for.
function replayStep(opts: ReplayOptions): SQL {
  return opts.retry === 'schedule'
    ? sql`0`
    : sql`case when ${deliveries.status} = 'pending' then ${deliveries.scheduleStep} else ${ONE_ATTEMPT_RUN} end`;
}

// Makes a new attempt of a delivery due now, with the same event and webhook-id: one attempt (failed again if it fails),
// or with `retry: 'schedule'` a fresh run of the retry schedule. Works on any delivery not under way (a skipped one is
// sent). Audited.
export async function replayDelivery(actor: Actor, deliveryId: string, opts: ReplayOptions = {}): Promise<{ id: string; status: DeliveryStatus }> {
  assertCan(actor, 'events.test');
  const orgId = actor.orgId;
  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    const [r] = await tx
      .update(deliveries)
      .set({ status: 'pending', nextAttemptAt: new Date(), scheduleStep: replayStep(opts), skipReason: null, leaseOwner: null, leaseExpiresAt: null })
      .where(and(eq(deliveries.orgId, orgId), eq(deliveries.id, deliveryId), notUnderWay))
      .returning({ id: deliveries.id, status: deliveries.status, endpointId: deliveries.endpointId, eventId: deliveries.eventId });
    if (r) await recordAudit(tx, actor, 'delivery.replayed', r.id, { endpointId: r.endpointId, eventId: r.eventId, retry: opts.retry ?? 'once' });
    return r;
  });
  if (!row) {
    const [exists] = await db.select({ id: deliveries.id }).from(deliveries).where(and(eq(deliveries.orgId, orgId), eq(deliveries.id, deliveryId)));
    if (!exists) throw new NotFoundError('Delivery');
    throw new UserError('An attempt of this delivery is under way; replay it once that attempt ends.', {}, 'conflict');
  }
  await notifyWork();
  return { id: row.id, status: row.status };
}

/** A bulk replay: deliveries created since a time; with dryRun, only counted. */
export type BulkReplayOptions = ReplayOptions & { dryRun?: boolean };

// Replays every failed delivery of one endpoint created since a time, one attempt each unless `retry: 'schedule'`
// (audited); with dryRun, only counts them.
export async function replayFailed(actor: Actor, endpointId: string, since: Date, opts: BulkReplayOptions = {}): Promise<{ count: number }> {
  return replayAll(actor, endpointId, since, 'failed', opts);
}

// Sends every skipped delivery of one endpoint (events published while it was disabled) created since a time, one
// attempt each unless `retry: 'schedule'` (audited); with dryRun, only counts them. Refused while the endpoint is
// disabled: enable it first.
export async function replaySkipped(actor: Actor, endpointId: string, since: Date, opts: BulkReplayOptions = {}): Promise<{ count: number }> {
  return replayAll(actor, endpointId, since, 'skipped', opts);
}

async function replayAll(
  actor: Actor,
  endpointId: string,
  since: Date,
  status: 'failed' | 'skipped',
  opts: BulkReplayOptions,
): Promise<{ count: number }> {
  assertCan(actor, 'events.test');
  const orgId = actor.orgId;
  const db = await getDb();
  const [endpoint] = await db
    .select({ id: endpoints.id, enabled: endpoints.enabled })
    .from(endpoints)
    .where(and(eq(endpoints.orgId, orgId), eq(endpoints.id, endpointId)));
  if (!endpoint) throw new NotFoundError('Endpoint');
  if (status === 'skipped' && !endpoint.enabled) {
    throw new UserError('This endpoint is disabled; enable it first, then replay its skipped deliveries.', {}, 'conflict');
  }
  const where = and(
    eq(deliveries.orgId, orgId),
    eq(deliveries.endpointId, endpointId),
    eq(deliveries.status, status),
    gte(deliveries.id, idAt(since)),
  );
  if (opts.dryRun) {
    const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(deliveries).where(where);
    return { count: Number(n) };
  }
  const count = await db.transaction(async (tx) => {
    const rows = await tx
      .update(deliveries)
      .set({ status: 'pending', nextAttemptAt: new Date(), scheduleStep: opts.retry === 'schedule' ? 0 : ONE_ATTEMPT_RUN, skipReason: null })
      .where(where)
      .returning({ id: deliveries.id });
    await recordAudit(tx, actor, status === 'failed' ? 'deliveries.replayed_failed' : 'deliveries.replayed_skipped', endpointId, {
      count: rows.length,
      since: since.toISOString(),
      retry: opts.retry ?? 'once',
    });
    return rows.length;
  });
  if (count > 0) await notifyWork();
  return { count };
}
