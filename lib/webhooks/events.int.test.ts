import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDb } from '@/test/db';
import type { DbHandle } from '@/db/client';
import { deliveries, endpoints, events, eventTypes } from '@/db/schema';
import { addEndpoint } from '@/test/delivery';
import { NotFoundError, UserError } from '@/lib/errors';
import { isTestEvent, publishEvent, sendTestEvent } from './events';
import { errorOf, makeOrg, publisher } from '@/test/factories';

const compound = { id: 'compound-1', name: 'Aspirin', category: 'analgesic', efficacy: 0.92 };
const URL = 'https://127.0.0.1:9/hook';
let h: DbHandle;

beforeAll(async () => {
  h = await createTestDb();
}, 90_000);
afterAll(async () => h?.close());

const deliveriesOf = (eventId: string) => h.db.select().from(deliveries).where(eq(deliveries.eventId, eventId));
const eventsWithKey = (orgId: string, key: string) =>
  h.db.select().from(events).where(and(eq(events.orgId, orgId), eq(events.idempotencyKey, key)));

describe('publishEvent', () => {
  it('stores the data text in its key order, one pending delivery per enabled, subscribed endpoint and a skipped one per disabled', async () => {
    const { orgId } = await makeOrg(h.db, []);
    const all = await addEndpoint(h.db, orgId, URL, { eventTypes: ['*'] });
    const exact = await addEndpoint(h.db, orgId, URL, { eventTypes: ['compound.created'] });
    await addEndpoint(h.db, orgId, URL, { eventTypes: ['investigation.updated'] });
    const disabled = await addEndpoint(h.db, orgId, URL, { eventTypes: ['*'], enabled: false });
    const other = await makeOrg(h.db, []);
    await addEndpoint(h.db, other.orgId, URL);
    const data = { zeta: 1, id: 'c-1', name: 'N', category: 'c', efficacy: 0.5, alpha: { b: 1, a: 2 } };
    const before = Date.now();
    const r = await publishEvent(publisher(orgId), 'compound.created', data);
    expect(r).toMatchObject({ deliveries: 2, skipped: 1, duplicate: false, event: { orgId, type: 'compound.created', data: JSON.stringify(data) } });
    expect(r.event.id).toMatch(/^evt_[0-9a-z]{26}$/);
    const made = await deliveriesOf(r.event.id);
    const skipped = made.filter((d) => d.status === 'skipped');
    expect(skipped.map((d) => [d.endpointId, d.skipReason, d.nextAttemptAt, d.attempts])).toEqual([[disabled.id, 'endpoint_disabled', null, 0]]);
    const rows = made.filter((d) => d.status !== 'skipped');
    expect(rows.map((d) => d.endpointId).sort()).toEqual([all.id, exact.id].sort());
    for (const d of rows) {
      expect(d).toMatchObject({ status: 'pending', attempts: 0, scheduleStep: 0, eventType: 'compound.created', orgId });
      expect(d.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before - 5);
      expect(d.nextAttemptAt!.getTime()).toBeLessThanOrEqual(Date.now());
    }
  });

  it('sees endpoints and schemas changed since its last publish, though it reuses what it read (the write is refused when stale)', async () => {
    const { orgId } = await makeOrg(h.db, []);
    const first = await addEndpoint(h.db, orgId, URL, { eventTypes: ['compound.created'] });
    expect((await publishEvent(publisher(orgId), 'compound.created', compound)).deliveries).toBe(1);
    expect((await publishEvent(publisher(orgId), 'compound.created', compound)).deliveries).toBe(1);
    // changed behind this process's back (straight in the database, as another process would)
    const second = await addEndpoint(h.db, orgId, URL, { eventTypes: ['*'] });
    const r = await publishEvent(publisher(orgId), 'compound.created', compound);
    expect(r.deliveries).toBe(2);
    expect((await deliveriesOf(r.event.id)).map((d) => d.endpointId).sort()).toEqual([first.id, second.id].sort());
    await h.db.update(endpoints).set({ enabled: false }).where(eq(endpoints.id, first.id));
    expect((await publishEvent(publisher(orgId), 'compound.created', compound)).deliveries).toBe(1);
    await h.db.update(endpoints).set({ eventTypes: ['investigation.updated'] }).where(eq(endpoints.id, second.id));
    expect((await publishEvent(publisher(orgId), 'compound.created', compound)).deliveries).toBe(0);
    await h.db
      .update(eventTypes)
      .set({ schema: { type: 'object', required: ['id', 'batch'], properties: { id: { type: 'string' }, batch: { type: 'string' } } } })
      .where(and(eq(eventTypes.orgId, orgId), eq(eventTypes.name, 'compound.created')));
    const refused = await errorOf(publishEvent(publisher(orgId), 'compound.created', compound));
    expect(refused).toBeInstanceOf(UserError);
    expect(refused!.fieldErrors!.data!.join(' ')).toMatch(/batch/);
    await h.db.delete(endpoints).where(eq(endpoints.id, second.id));
    expect((await publishEvent(publisher(orgId), 'compound.created', { id: 'c', batch: 'b' })).deliveries).toBe(0);
  });

  it('refuses an unknown type, data against the schema, data a body cannot carry, and bodies over 256 KiB', async () => {
    const { orgId } = await makeOrg(h.db, []);
    await addEndpoint(h.db, orgId, URL);
    const unknown = await errorOf(publishEvent(publisher(orgId), 'compound.deleted', compound));
    expect(unknown).toBeInstanceOf(UserError);
    expect(unknown!.message).toMatch(/no event type "compound\.deleted".*compound\.created/);
    expect(unknown!.fieldErrors!.type).toHaveLength(1);
    const invalid = await errorOf(publishEvent(publisher(orgId), 'compound.created', { ...compound, efficacy: 3, name: undefined }));
    expect(invalid!.fieldErrors!.data!.join(' ')).toMatch(/efficacy must be <= 1/);
    expect(invalid!.fieldErrors!.data!.join(' ')).toMatch(/name/);
    const reserved = await errorOf(publishEvent(publisher(orgId), 'compound.created', { ...compound, timestamp: 'x' }));
    expect(reserved).toBeInstanceOf(UserError);
    expect(reserved!.fieldErrors!.data![0]).toMatch(/timestamp is reserved/);
    const big = await errorOf(publishEvent(publisher(orgId), 'compound.created', { ...compound, blob: 'x'.repeat(256 * 1024) }));
    expect(big).toMatchObject({ code: 'too_large' });
    expect(big!.message).toMatch(/limit is 256 KiB/);
    expect(await h.db.select().from(events).where(eq(events.orgId, orgId))).toHaveLength(0);
  });

  it('still publishes a deprecated type to its existing subscribers', async () => {
    const { orgId } = await makeOrg(h.db, []);
    await addEndpoint(h.db, orgId, URL, { eventTypes: ['compound.created'] });
    await h.db.update(eventTypes).set({ deprecated: true }).where(and(eq(eventTypes.orgId, orgId), eq(eventTypes.name, 'compound.created')));
    expect((await publishEvent(publisher(orgId), 'compound.created', compound)).deliveries).toBe(1);
  });

  it('creates one event per idempotency key within 24 h, refuses the key for another request, and releases it after', async () => {
    const { orgId } = await makeOrg(h.db, []);
    await addEndpoint(h.db, orgId, URL);
    const first = await publishEvent(publisher(orgId), 'compound.created', compound, { idempotencyKey: 'k-1', requestHash: 'h1' });
    const again = await publishEvent(publisher(orgId), 'compound.created', compound, { idempotencyKey: 'k-1', requestHash: 'h1' });
    expect(again).toMatchObject({ duplicate: true, deliveries: 1, event: { id: first.event.id } });
    const both = await Promise.all([1, 2, 3].map(() => publishEvent(publisher(orgId), 'compound.created', compound, { idempotencyKey: 'k-2' })));
    expect(new Set(both.map((r) => r.event.id)).size).toBe(1);
    expect(both.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await eventsWithKey(orgId, 'k-2')).toHaveLength(1);
    const conflict = await errorOf(publishEvent(publisher(orgId), 'compound.created', { ...compound, efficacy: 0.1 }, { idempotencyKey: 'k-1', requestHash: 'h2' }));
    expect(conflict).toMatchObject({ code: 'conflict' });
    expect(await h.db.select().from(events).where(eq(events.orgId, orgId))).toHaveLength(2);
    expect(await h.db.select().from(deliveries).where(eq(deliveries.orgId, orgId))).toHaveLength(2);
    await h.db.update(events).set({ createdAt: new Date(Date.now() - 25 * 3600_000) }).where(eq(events.id, first.event.id));
    const later = await publishEvent(publisher(orgId), 'compound.created', compound, { idempotencyKey: 'k-1', requestHash: 'h2' });
    expect(later.duplicate).toBe(false);
    expect(later.event.id).not.toBe(first.event.id);
    expect((await h.db.select().from(events).where(eq(events.id, first.event.id)))[0]!.idempotencyKey).toBeNull();
    expect((await eventsWithKey(orgId, 'k-1')).map((e) => e.id)).toEqual([later.event.id]);
  });
});

describe('sendTestEvent', () => {
  it('publishes at once from two organizations each get their own event and deliveries; a key clash fails only its publish', async () => {
    const a = await makeOrg(h.db, []);
    const b = await makeOrg(h.db, []);
    const epA = await addEndpoint(h.db, a.orgId, URL, { eventTypes: ['*'] });
    const epB = await addEndpoint(h.db, b.orgId, URL, { eventTypes: ['*'] });
    const key = `clash-${Date.now()}`;
    const results = await Promise.allSettled([
      ...Array.from({ length: 12 }, (_, i) => publishEvent(publisher(i % 2 ? a.orgId : b.orgId), 'compound.created', { ...compound, id: `c-${i}` })),
      publishEvent(publisher(a.orgId), 'compound.created', { ...compound, id: 'keyed-1' }, { idempotencyKey: key, requestHash: 'one' }),
      publishEvent(publisher(a.orgId), 'compound.created', { ...compound, id: 'keyed-2' }, { idempotencyKey: key, requestHash: 'two' }),
    ]);
    const done = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(done).toHaveLength(13);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toBeInstanceOf(UserError);
    expect(failed[0]).toMatchObject({ code: 'conflict' });
    for (const r of done) {
      const rows = await deliveriesOf(r.event.id);
      expect(rows.map((d) => d.endpointId)).toEqual([r.event.orgId === a.orgId ? epA.id : epB.id]);
      expect(rows[0]!.orgId).toBe(r.event.orgId);
    }
    expect(await eventsWithKey(a.orgId, key)).toHaveLength(1);
  });

  it('sends the sample to one endpoint only, flagged as a test', async () => {
    const { orgId, actors } = await makeOrg(h.db, ['developer']);
    const a = await addEndpoint(h.db, orgId, URL);
    await addEndpoint(h.db, orgId, URL);
    const { event, deliveryId } = await sendTestEvent(actors.developer, a.id, 'compound.created');
    expect(JSON.parse(event.data)).toEqual({ id: 'compound-123', name: 'Aspirin', category: 'analgesic', efficacy: 0.92 });
    expect(isTestEvent(event)).toBe(true);
    expect((await deliveriesOf(event.id)).map((d) => [d.id, d.endpointId, d.status])).toEqual([[deliveryId, a.id, 'pending']]);
    const custom = await sendTestEvent(actors.developer, a.id, 'compound.created', { ...compound, name: 'Custom' });
    expect(JSON.parse(custom.event.data).name).toBe('Custom');
  });

  it('refuses another org’s endpoint, a disabled endpoint and invalid data', async () => {
    const { orgId, actors } = await makeOrg(h.db, ['developer']);
    const other = await makeOrg(h.db, []);
    const theirs = await addEndpoint(h.db, other.orgId, URL);
    expect(await errorOf(sendTestEvent(actors.developer, theirs.id, 'compound.created'))).toBeInstanceOf(NotFoundError);
    const off = await addEndpoint(h.db, orgId, URL);
    await h.db.update(endpoints).set({ enabled: false }).where(eq(endpoints.id, off.id));
    expect((await errorOf(sendTestEvent(actors.developer, off.id, 'compound.created')))!.message).toMatch(/disabled; enable it/);
    const on = await addEndpoint(h.db, orgId, URL);
    expect((await errorOf(sendTestEvent(actors.developer, on.id, 'compound.created', { id: 1 })))!.fieldErrors!.data!.length).toBeGreaterThan(0);
  });
});
