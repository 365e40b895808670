import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { getDb } from '@/lib/db';
import { newId } from '@/db/ids';
import { endpoints, events, eventTypes, type Event, type EventType } from '@/db/schema';
import { assertCan, type Actor } from '@/lib/auth/permissions';
import { notifyWork } from '@/lib/delivery/wake';
import { deliveriesInsert, publishContext, skippedOf, StalePublishContext, targetsOf, writeEvents, type NewDelivery } from './publish-store';
import { NotFoundError, UserError } from '@/lib/errors';
import { encodeBody, EncodeError } from '@/lib/signing';
import { recordAudit } from '@/lib/audit/log';
import { schemaUnusable, validateAgainstSchema } from './json-schema';
import { prepareSchema } from './schema-compile';

// The largest encoded body (standard format) a publish accepts, as DESIGN.md's delivery contract says.
export const MAX_BODY_BYTES = 256 * 1024;
// How long an idempotency key returns the first event; after that the key is released and may make a new one.
export const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;

// A publish's idempotency key and the hash of its request (a reused key with another hash is a conflict).
export type PublishOptions = { idempotencyKey?: string; requestHash?: string };
// The event (the first one for a repeated key), how many deliveries will be sent, how many were recorded as skipped
// (disabled endpoints), and whether it was a repeat.
export type PublishResult = { event: Event; deliveries: number; skipped: number; duplicate: boolean };

// Whether an event was sent with "Send test event" rather than published.
export function isTestEvent(event: Pick<Event, 'isTest'>): boolean {
  return event.isTest;
}

// Publishes an event: checks its data, stores it and one pending delivery per enabled endpoint subscribed to the
// type (or to '*') atomically — and a `skipped` one per disabled subscribed endpoint — then wakes the workers. A
// repeated idempotency key within 24 hours returns the first event and creates nothing. One round trip, the write,
// when this process has read the organization's endpoints and the type before and no idempotency key is given; a read
// before it otherwise (lib/webhooks/publish-store.ts).
export async function publishEvent(actor: Actor, type: string, data: unknown, opts: PublishOptions = {}): Promise<PublishResult> {
  assertCan(actor, 'events.publish');
  const { orgId } = actor;
  const db = await getDb();
  const key = opts.idempotencyKey?.trim() || undefined;
  for (let tries = 0, fresh = false; ; tries++) {
    const now = Date.now();
    const ctx = await publishContext(db, orgId, [String(type)], key ? [key] : [], fresh);
    const first = key ? ctx.keyed.get(key) : undefined;
    const live = first && first.event.createdAt.getTime() > now - IDEMPOTENCY_WINDOW_MS ? first : undefined;
    if (live) {
      if (opts.requestHash !== undefined && live.event.requestHash !== opts.requestHash) throw keyConflict(key!);
      return { event: live.event, deliveries: live.deliveries, skipped: live.skipped, duplicate: true };
    }
    const et = ctx.types.get(String(type));
    if (!et) await requireType(db, orgId, type); // throws, naming the known types
    await prepareSchema(et!.schema as Record<string, unknown>); // an unseen schema compiles in a bounded worker, not here
    const id = newId('evt', now);
    checkData(et!, data, id, new Date(now));
    const endpointIds = targetsOf(ctx, type);
    const skippedEndpointIds = skippedOf(ctx, type);
    const event: Event = { id, orgId, type, data: JSON.stringify(data), idempotencyKey: key ?? null, requestHash: opts.requestHash ?? null, isTest: false, createdAt: new Date(now) };
    try {
      await writeEvents(orgId, ctx.version, [{ ...event, endpointIds, skippedEndpointIds }], now, first && !live ? [key!] : []);
      return { event, deliveries: endpointIds.length, skipped: skippedEndpointIds.length, duplicate: false };
    } catch (err) {
      // endpoints or event types changed since they were read (cached), two publishes with one new key at once (the
      // loser finds the winner's event on the next try), or an endpoint deleted between the read and the write
      if (tries < 4 && (err instanceof StalePublishContext || isUniqueViolation(err) || isForeignKeyViolation(err))) {
        fresh = true;
        continue;
      }
      throw err;
    }
  }
}

function keyConflict(key: string): UserError {
  return new UserError(
    `The idempotency key "${key}" was used in the last 24 hours for a different request; use a new key for a new event.`,
    { idempotencyKey: ['This key was already used for a different request.'] },
    'conflict',
  );
}

// Sends a test event (the type's sample unless data is given) to one endpoint only, through the real delivery path. Audited.
export async function sendTestEvent(actor: Actor, endpointId: string, type: string, data?: unknown): Promise<{ event: Event; deliveryId: string }> {
  assertCan(actor, 'events.test');
  const orgId = actor.orgId;
  const db = await getDb();
  const [endpoint] = await db.select().from(endpoints).where(and(eq(endpoints.orgId, orgId), eq(endpoints.id, endpointId)));
  if (!endpoint) throw new NotFoundError('Endpoint');
  if (!endpoint.enabled) throw new UserError('This endpoint is disabled; enable it to send a test event.', {}, 'conflict');
  const et = await requireType(db, orgId, type);
  await prepareSchema(et.schema);
  const payload = data ?? et.sample;
  const now = Date.now();
  const id = newId('evt', now);
  checkData(et, payload, id, new Date(now));
  const deliveryId = newId('dlv', now);
  const event = await db.transaction(async (tx) => {
    const ev = await insertEvent(tx, { id, orgId, type, data: payload, idempotencyKey: null, requestHash: null, isTest: true, now });
    await insertDeliveries(tx, orgId, [{ eventId: ev.id, eventType: type, endpointId, id: deliveryId }], now);
    await recordAudit(tx, actor, 'event.test_sent', endpointId, { eventId: ev.id, type });
    return ev;
  });
  await notifyWork();
  return { event, deliveryId };
}

async function requireType(db: Db, orgId: string, type: string): Promise<EventType> {
  const [et] = await db.select().from(eventTypes).where(and(eq(eventTypes.orgId, orgId), eq(eventTypes.name, String(type))));
  if (et) return et;
  const names = await db.select({ name: eventTypes.name }).from(eventTypes).where(eq(eventTypes.orgId, orgId)).orderBy(eventTypes.name).limit(20);
  const known = names.length ? ` Known types: ${names.map((n) => n.name).join(', ')}.` : '';
  const msg = `There is no event type "${String(type)}" in this organization; add it under Settings → Event types, or use a known one.${known}`;
  throw new UserError(msg, { type: [msg] });
}

// Data must match the type's schema and encode in every wire format; the standard body may not exceed 256 KiB.
// encodeBody's checks do not depend on the format (only the envelope around the same data does), so the standard
// body, the one whose size is capped, answers for all of them.
export function checkData(et: Pick<EventType, 'name' | 'schema'>, data: unknown, id: string, createdAt: Date): void {
  const unusable = schemaUnusable(et.schema);
  if (unusable) {
    const msg = `The schema of "${et.name}" cannot be used (${unusable}); an admin must fix and save it again under Settings → Event types before events of this type can be sent.`;
    throw new UserError(msg, { type: [msg] });
  }
  const problems = validateAgainstSchema(et.schema, data);
  if (problems.length > 0) {
    throw new UserError(`The data does not match the schema of "${et.name}": ${problems.slice(0, 5).join('; ')}.`, { data: problems });
  }
  let standard: string;
  try {
    standard = encodeBody('standard', { id, type: et.name, timestamp: createdAt, data: data as Record<string, unknown> });
  } catch (e) {
    if (e instanceof EncodeError) throw new UserError(e.message, { data: [e.message] });
    throw e;
  }
  const bytes = Buffer.byteLength(standard, 'utf8');
  if (bytes > MAX_BODY_BYTES) {
    const msg = `The event body would be ${Math.ceil(bytes / 1024)} KiB; the limit is 256 KiB. Send less data, such as ids and a link to fetch the rest.`;
    throw new UserError(msg, { data: [msg] }, 'too_large');
  }
}

type NewEvent = { id: string; orgId: string; type: string; data: unknown; idempotencyKey: string | null; requestHash: string | null; isTest: boolean; now: number };

async function insertEvent(tx: Tx, e: NewEvent): Promise<Event> {
  const [event] = await tx
    .insert(events)
    .values({ id: e.id, orgId: e.orgId, type: e.type, data: JSON.stringify(e.data), idempotencyKey: e.idempotencyKey, requestHash: e.requestHash, isTest: e.isTest, createdAt: new Date(e.now) })
    .returning();
  return event!;
}

// Pending deliveries, due now, for one or many events of an organization; one statement whatever their number.
export async function insertDeliveries(tx: Tx, orgId: string, items: NewDelivery[], now: number): Promise<void> {
  if (items.length === 0) return;
  await tx.execute(deliveriesInsert(orgId, items, now));
}

export function isForeignKeyViolation(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (e.code === '23503') return true;
  }
  return false;
}

export function isUniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (e.code === '23505') return true;
  }
  return false;
}
