import { getDb } from '@/lib/db';
import { newId } from '@/db/ids';
import { assertCan, type Actor } from '@/lib/auth/permissions';
import { UserError } from '@/lib/errors';
import { prepareSchema } from './schema-compile';
import { checkData, IDEMPOTENCY_WINDOW_MS, isForeignKeyViolation, isUniqueViolation } from './events';
import { publishContext, skippedOf, StalePublishContext, targetsOf, writeEvents, type NewEvent } from './publish-store';

/** The most events one batch may carry. */
export const MAX_BATCH_EVENTS = 500;

/** One event of a batch; `requestHash` tells a reused idempotency key with another body apart (409). */
export type BatchItem = { type: string; data: Record<string, unknown>; idempotencyKey?: string; requestHash?: string };
/** Per item, in request order: its event (the first one for a repeated key), how many deliveries will be sent and how
 * many were recorded as skipped (disabled endpoints). */
export type BatchResult = { id: string; type: string; deliveries: number; skipped: number; duplicate: boolean }[];

type Problems = Record<string, string[]>;

// Publishes up to 500 events all or nothing: every item is checked first (type, schema, encoding, 256 KiB), and any
// problem refuses the whole batch with each problem under its item's path (`events.3.data.name`). Otherwise the new
// events and their deliveries are written in one statement (one transaction); an item whose idempotency key was used
// in the last 24 hours answers its first event and creates nothing. Two round trips whatever the batch size, one when
// no item has a key and this process has read the organization's endpoints and these types before.
export async function publishEvents(actor: Actor, items: BatchItem[]): Promise<BatchResult> {
  assertCan(actor, 'events.publish');
  const { orgId } = actor;
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
  const used = keys.filter((k): k is string => !!k);
  for (let tries = 0, fresh = false; ; tries++) {
    const now = Date.now();
    const ctx = await publishContext(db, orgId, names, used, fresh);
    await Promise.all([...ctx.types.values()].map((t) => prepareSchema(t.schema as Record<string, unknown>))); // unseen schemas compile in a bounded worker
    const ids = items.map(() => newId('evt', now));
    let onlyTooLarge = true;
    items.forEach((item, i) => {
      const et = ctx.types.get(item.type);
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

    const result: BatchResult = items.map((item, i) => ({ id: ids[i]!, type: item.type, deliveries: 0, skipped: 0, duplicate: false }));
    const expired: string[] = [];
    const conflicts: Problems = {};
    keys.forEach((k, i) => {
      const first = k ? ctx.keyed.get(k) : undefined;
      if (!first) return;
      if (first.event.createdAt.getTime() <= now - IDEMPOTENCY_WINDOW_MS) return void expired.push(k!);
      if (items[i]!.requestHash !== undefined && first.event.requestHash !== items[i]!.requestHash) {
        conflicts[`events.${i}.idempotencyKey`] = [`The idempotency key "${k}" was used in the last 24 hours for a different event; use a new key for a new event.`];
      }
      result[i] = { id: first.event.id, type: items[i]!.type, deliveries: first.deliveries, skipped: first.skipped, duplicate: true };
    });
    if (Object.keys(conflicts).length > 0) {
      throw new UserError('Some idempotency keys were used in the last 24 hours for different events; nothing was published.', conflicts, 'conflict');
    }
    const news: NewEvent[] = [];
    items.forEach((item, i) => {
      if (result[i]!.duplicate) return;
      const endpointIds = targetsOf(ctx, item.type);
      const skippedEndpointIds = skippedOf(ctx, item.type);
      result[i]!.deliveries = endpointIds.length;
      result[i]!.skipped = skippedEndpointIds.length;
      news.push({ id: ids[i]!, type: item.type, data: JSON.stringify(item.data), idempotencyKey: keys[i] ?? null, requestHash: item.requestHash ?? null, endpointIds, skippedEndpointIds });
    });
    try {
      await writeEvents(orgId, ctx.version, news, now, expired);
      return result;
    } catch (err) {
      // endpoints or event types changed since they were read (cached), another publish took one of the keys at the
      // same time (the next try finds its event), or an endpoint went away
      if (tries < 4 && (err instanceof StalePublishContext || isUniqueViolation(err) || isForeignKeyViolation(err))) {
        fresh = true;
        continue;
      }
      throw err;
    }
  }
}

// A schema problem sentence ("/name must be string", "data must have required property 'id'") as a path under the
// item's data (".name", "") and the rest of the sentence.
function locate(sentence: string): { path: string; message: string } {
  const m = /^(\/\S*) (.*)$/s.exec(sentence);
  if (m) return { path: m[1]!.split('/').slice(1).map((s) => `.${s.replace(/~1/g, '/').replace(/~0/g, '~')}`).join(''), message: m[2]! };
  return { path: '', message: sentence.replace(/^data /, '') };
}
