import { and, eq, inArray, sql } from 'drizzle-orm';
import { getDb, queryRows, type Tx } from '../../db/client';
import { newId } from '../../db/ids';
import { endpoints, eventTypes, type EventType } from '../../db/schema';
import { notifyWork } from '../delivery/wake';
import { UserError } from '../errors';
import { checkData, IDEMPOTENCY_WINDOW_MS, insertDeliveries, isUniqueViolation, type NewDelivery } from './events';

/** The most events one batch may carry. */
export const MAX_BATCH_EVENTS = 500;

/** One event of a batch; `requestHash` tells a reused idempotency key with another body apart (409). */
export type BatchItem = { type: string; data: Record<string, unknown>; idempotencyKey?: string; requestHash?: string };
/** Per item, in request order: its event (the first one for a repeated key) and how many deliveries it has. */
export type BatchResult = { id: string; type: string; deliveries: number; duplicate: boolean }[];

type Problems = Record<string, string[]>;

// Publishes up to 500 events all or nothing: every item is checked first (type, schema, encoding, 256 KiB), and any
// problem refuses the whole batch with each problem under its item's path (`events.3.data.name`). Otherwise the new
// events and their deliveries are written in one transaction; an item whose idempotency key was used in the last
// 24 hours answers its first event and creates nothing.
export async function publishEvents(orgId: string, items: BatchItem[]): Promise<BatchResult> {
  if (items.length < 1 || items.length > MAX_BATCH_EVENTS) {
    const msg = `A batch carries 1 to ${MAX_BATCH_EVENTS} events; this one has ${items.length}. Split it into smaller batches.`;
    throw new UserError(msg, { events: [msg] });
  }
  const db = await getDb();
  const keys = items.map((i) => i.idempotencyKey?.trim() || undefined);
  const problems: Problems = {};
  const add = (path: string, msg: string) => (problems[path] ??= []).push(msg);
  const firstWithKey = new Map<string, number>();
  keys.forEach((k, i) => {
    if (!k) return;
    const first = firstWithKey.get(k);
    if (first === undefined) return void firstWithKey.set(k, i);
    add(`events.${i}.idempotencyKey`, `Item ${first} has the same idempotency key "${k}"; each event of a batch needs its own key.`);
  });

  const names = [...new Set(items.map((i) => i.type))];
  const types = new Map<string, EventType>(
    (await db.select().from(eventTypes).where(and(eq(eventTypes.orgId, orgId), inArray(eventTypes.name, names)))).map((t) => [t.name, t]),
  );
  const now = Date.now();
  const ids = items.map(() => newId('evt', now));
  let onlyTooLarge = true;
  items.forEach((item, i) => {
    const et = types.get(item.type);
    if (!et) {
      onlyTooLarge = false;
      return add(`events.${i}.type`, `There is no event type "${item.type}" in this organization; add it under Settings → Event types, or use a known one.`);
    }
    try {
      checkData(et, item.data, ids[i]!, new Date(now));
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      if (e.code !== 'too_large') onlyTooLarge = false;
      for (const sentence of e.fieldErrors.data ?? [e.message]) {
        const { path, message } = locate(sentence);
        add(`events.${i}.data${path}`, message);
      }
    }
  });
  if (Object.keys(problems).length > 0) {
    if (Object.keys(problems).some((p) => p.endsWith('.idempotencyKey'))) onlyTooLarge = false;
    const count = new Set(Object.keys(problems).map((p) => p.split('.')[1])).size;
    const message = onlyTooLarge
      ? `${count} of the ${items.length} events would be over 256 KiB once encoded; nothing was published. Send less data in those, such as ids and a link.`
      : `${count} of the ${items.length} events are not valid; nothing was published. Fix the items listed in details.`;
    throw new UserError(message, problems, onlyTooLarge ? 'too_large' : 'invalid');
  }

  for (let tries = 0; ; tries++) {
    try {
      const result = await db.transaction((tx) => write(tx, orgId, items, keys, ids, now));
      if (result.some((r) => !r.duplicate && r.deliveries > 0)) await notifyWork();
      return result;
    } catch (err) {
      // another publish took one of the keys at the same time: the next try finds its event
      if (tries < 2 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

async function write(tx: Tx, orgId: string, items: BatchItem[], keys: (string | undefined)[], ids: string[], now: number): Promise<BatchResult> {
  const result: BatchResult = items.map((item, i) => ({ id: ids[i]!, type: item.type, deliveries: 0, duplicate: false }));
  const used = keys.filter((k): k is string => !!k);
  if (used.length > 0) {
    const found = await queryRows<{ id: string; idempotency_key: string; request_hash: string | null; created_at: string | Date; deliveries: number }>(
      tx,
      sql`select e.id, e.idempotency_key, e.request_hash, e.created_at,
                 (select count(*)::int from deliveries d where d.event_id = e.id) as deliveries
          from events e where e.org_id = ${orgId} and e.idempotency_key in (select json_array_elements_text(${JSON.stringify(used)}::json))`,
    );
    const live = new Map<string, (typeof found)[number]>();
    const expired: string[] = [];
    for (const f of found) {
      if (new Date(f.created_at).getTime() > now - IDEMPOTENCY_WINDOW_MS) live.set(f.idempotency_key, f);
      else expired.push(f.idempotency_key);
    }
    const conflicts: Problems = {};
    keys.forEach((k, i) => {
      const first = k ? live.get(k) : undefined;
      if (!first) return;
      if (items[i]!.requestHash !== undefined && first.request_hash !== items[i]!.requestHash) {
        conflicts[`events.${i}.idempotencyKey`] = [`The idempotency key "${k}" was used in the last 24 hours for a different event; use a new key for a new event.`];
      }
      result[i] = { id: first.id, type: items[i]!.type, deliveries: Number(first.deliveries), duplicate: true };
    });
    if (Object.keys(conflicts).length > 0) {
      throw new UserError('Some idempotency keys were used in the last 24 hours for different events; nothing was published.', conflicts, 'conflict');
    }
    if (expired.length > 0) {
      await tx.execute(sql`update events set idempotency_key = null where org_id = ${orgId} and idempotency_key in (select json_array_elements_text(${JSON.stringify(expired)}::json))`);
    }
  }
  const fresh = items.map((item, i) => ({ item, i })).filter(({ i }) => !result[i]!.duplicate);
  if (fresh.length === 0) return result;
  const at = new Date(now).toISOString();
  const rows = fresh.map(({ item, i }) => ({
    id: ids[i], type: item.type, data: JSON.stringify(item.data), idempotency_key: keys[i] ?? null, request_hash: item.requestHash ?? null,
  }));
  await tx.execute(sql`
    insert into events (id, org_id, type, data, idempotency_key, request_hash, created_at)
    select r.id, ${orgId}, r.type, r.data, r.idempotency_key, r.request_hash, ${at}::timestamptz
    from json_to_recordset(${JSON.stringify(rows)}::json) as r(id text, type text, data text, idempotency_key text, request_hash text)`);
  const subscribed = await tx
    .select({ id: endpoints.id, eventTypes: endpoints.eventTypes })
    .from(endpoints)
    .where(and(eq(endpoints.orgId, orgId), eq(endpoints.enabled, true)));
  const deliveries: NewDelivery[] = [];
  for (const { item, i } of fresh) {
    for (const ep of subscribed) {
      if (!ep.eventTypes.includes(item.type) && !ep.eventTypes.includes('*')) continue;
      deliveries.push({ eventId: ids[i]!, eventType: item.type, endpointId: ep.id });
      result[i]!.deliveries++;
    }
  }
  await insertDeliveries(tx, orgId, deliveries, now);
  return result;
}

// A schema problem sentence ("/name must be string", "data must have required property 'id'") as a path under the
// item's data (".name", "") and the rest of the sentence.
function locate(sentence: string): { path: string; message: string } {
  const m = /^(\/\S*) (.*)$/s.exec(sentence);
  if (m) return { path: m[1]!.split('/').slice(1).map((s) => `.${s.replace(/~1/g, '/').replace(/~0/g, '~')}`).join(''), message: m[2]! };
  return { path: '', message: sentence.replace(/^data /, '') };
}
