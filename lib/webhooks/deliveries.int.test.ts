import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { createTestDb } from '@/test/db';
import type { DbHandle } from '@/db/client';
import { newId } from '@/db/ids';
import { attempts, deliveries } from '@/db/schema';
import { addEndpoint } from '@/test/delivery';
import { ONE_ATTEMPT_RUN } from '@/lib/delivery/retry';
import { NotFoundError, UserError } from '@/lib/errors';
import { getDelivery, listDeliveries, replayDelivery, replayFailed } from './deliveries';
import { publishEvent, sendTestEvent } from './events';
import { ForbiddenError, type Actor } from '@/lib/auth/permissions';
import { listAuditLog } from '@/lib/audit/log';
import { errorOf, makeOrg, publisher } from '@/test/factories';

const URL = 'https://127.0.0.1:9/hook';
const compound = (i: number) => ({ id: `c-${i}`, name: 'Aspirin', category: 'analgesic', efficacy: 0.5 });
let h: DbHandle;
let orgId: string;
let dev: Actor;
let a: { id: string };
let b: { id: string };
const eventIds: string[] = [];

beforeAll(async () => {
  h = await createTestDb();
  ({ orgId, actors: { developer: dev } } = await makeOrg(h.db, ['developer', 'viewer']));
  a = await addEndpoint(h.db, orgId, URL + '?a', { eventTypes: ['*'] });
  b = await addEndpoint(h.db, orgId, URL + '?b', { eventTypes: ['compound.created'] });
  for (let i = 0; i < 5; i++) eventIds.push((await publishEvent(publisher(orgId), 'compound.created', compound(i))).event.id);
  await sendTestEvent(dev, a.id, 'investigation.updated');
  const other = await makeOrg(h.db, []);
  await addEndpoint(h.db, other.orgId, URL);
  await publishEvent(publisher(other.orgId), 'compound.created', compound(9));
}, 90_000);
afterAll(async () => h?.close());

describe('listDeliveries', () => {
  it('pages the org’s deliveries newest first with a cursor, with endpoint URL and test flag', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const r: Awaited<ReturnType<typeof listDeliveries>> = await listDeliveries(orgId, {}, cursor, 4);
      seen.push(...r.data.map((d) => d.id));
      cursor = r.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(11);
    expect([...seen].sort().reverse()).toEqual(seen);
    const { data } = await listDeliveries(orgId, {}, null, 1);
    expect(data[0]).toMatchObject({ eventType: 'investigation.updated', endpointId: a.id, endpointUrl: URL + '?a', status: 'pending', attempts: 0, test: true });
    expect(data[0]!.createdAt).toBeInstanceOf(Date);
  });

  it('filters by endpoint, status, type, event and time', async () => {
    expect((await listDeliveries(orgId, { endpointId: b.id })).data).toHaveLength(5);
    expect((await listDeliveries(orgId, { eventType: 'investigation.updated' })).data).toHaveLength(1);
    expect((await listDeliveries(orgId, { eventId: eventIds[2] })).data.map((d) => d.eventId)).toEqual([eventIds[2], eventIds[2]]);
    expect((await listDeliveries(orgId, { status: 'succeeded' })).data).toHaveLength(0);
    expect((await listDeliveries(orgId, { since: new Date(Date.now() + 60_000) })).data).toHaveLength(0);
    expect((await listDeliveries(orgId, { until: new Date(Date.now() - 3600_000) })).data).toHaveLength(0);
    expect((await listDeliveries(orgId, { since: new Date(Date.now() - 3600_000), until: new Date(Date.now() + 1000) })).data).toHaveLength(11);
    expect(await errorOf(listDeliveries(orgId, {}, 'not-a-cursor'))).toBeInstanceOf(UserError);
  });
});

describe('getDelivery, replayDelivery, replayFailed', () => {
  it('shows a delivery with its event data and attempts in order, only in its org', async () => {
    const [row] = (await listDeliveries(orgId, { eventId: eventIds[0], endpointId: b.id })).data;
    await h.db.insert(attempts).values([2, 1].map((number) => ({ id: newId('att'), orgId, deliveryId: row!.id, number, startedAt: new Date() })));
    const detail = await getDelivery(orgId, row!.id);
    expect(detail.delivery.id).toBe(row!.id);
    expect(detail.event).toMatchObject({ id: eventIds[0], type: 'compound.created', data: JSON.stringify(compound(0)), test: false });
    expect(detail.attempts.map((x) => x.number)).toEqual([1, 2]);
    const stranger = await makeOrg(h.db, ['developer']);
    expect(await errorOf(getDelivery(stranger.orgId, row!.id))).toBeInstanceOf(NotFoundError);
    expect(await errorOf(replayDelivery(stranger.actors.developer, row!.id))).toBeInstanceOf(NotFoundError);
  });

  it('replays a delivery due now as one attempt (a fresh schedule run only when asked), but not while an attempt is under way', async () => {
    const [row] = (await listDeliveries(orgId, { eventId: eventIds[1], endpointId: a.id })).data;
    await h.db.update(deliveries).set({ status: 'failed', scheduleStep: 8, attempts: 8, nextAttemptAt: null }).where(eq(deliveries.id, row!.id));
    await replayDelivery(dev, row!.id);
    const [after] = await h.db.select().from(deliveries).where(eq(deliveries.id, row!.id));
    // a run with no retries left: the claim makes it step ONE_ATTEMPT_RUN + 1, past any schedule's end
    expect(after).toMatchObject({ status: 'pending', scheduleStep: ONE_ATTEMPT_RUN, attempts: 8, eventId: eventIds[1] });
    expect(Math.abs(after!.nextAttemptAt!.getTime() - Date.now())).toBeLessThan(5000);
    await h.db.update(deliveries).set({ status: 'failed', scheduleStep: ONE_ATTEMPT_RUN + 1 }).where(eq(deliveries.id, row!.id));
    await replayDelivery(dev, row!.id, { retry: 'schedule' });
    const [onSchedule] = await h.db.select().from(deliveries).where(eq(deliveries.id, row!.id));
    expect(onSchedule).toMatchObject({ status: 'pending', scheduleStep: 0 });
    // a pending delivery waiting for its retry keeps its run: Replay brings that retry forward
    await h.db.update(deliveries).set({ scheduleStep: 2, nextAttemptAt: new Date(Date.now() + 3600_000) }).where(eq(deliveries.id, row!.id));
    await replayDelivery(dev, row!.id);
    const [forward] = await h.db.select().from(deliveries).where(eq(deliveries.id, row!.id));
    expect(forward).toMatchObject({ status: 'pending', scheduleStep: 2 });
    expect(forward!.nextAttemptAt!.getTime()).toBeLessThan(Date.now() + 5000);
    await h.db.update(deliveries).set({ status: 'delivering' }).where(eq(deliveries.id, row!.id));
    expect(await errorOf(replayDelivery(dev, row!.id))).toMatchObject({ code: 'conflict' });
  });

  it('replays the failed deliveries of one endpoint since a time, or counts them in a dry run', async () => {
    const rows = (await listDeliveries(orgId, { endpointId: b.id })).data;
    await h.db.update(deliveries).set({ status: 'failed', scheduleStep: 8 }).where(inArray(deliveries.id, rows.slice(0, 3).map((r) => r.id)));
    const since = new Date(Date.now() - 3600_000);
    expect(await replayFailed(dev, b.id, since, { dryRun: true })).toEqual({ count: 3 });
    expect(await replayFailed(dev, b.id, new Date(Date.now() + 60_000), { dryRun: true })).toEqual({ count: 0 });
    expect(await replayFailed(dev, b.id, since)).toEqual({ count: 3 });
    expect((await listDeliveries(orgId, { endpointId: b.id, status: 'failed' })).data).toHaveLength(0);
    const replayed = await h.db.select().from(deliveries).where(inArray(deliveries.id, rows.slice(0, 3).map((r) => r.id)));
    expect(replayed.map((d) => [d.status, d.scheduleStep])).toEqual(Array(3).fill(['pending', ONE_ATTEMPT_RUN]));
    const stranger = await makeOrg(h.db, ['developer']);
    expect(await errorOf(replayFailed(stranger.actors.developer, b.id, since))).toBeInstanceOf(NotFoundError);
  });
});

describe('audit of test events and replays', () => {
  it('writes event.test_sent, delivery.replayed and deliveries.replayed_failed; a viewer may do none of them', async () => {
    const org = await makeOrg(h.db, ['developer', 'viewer']);
    const ep = await addEndpoint(h.db, org.orgId, URL, { eventTypes: ['*'] });
    const viewer = org.actors.viewer;
    expect((await errorOf(sendTestEvent(viewer, ep.id, 'compound.created')))).toBeInstanceOf(ForbiddenError);
    const { event, deliveryId } = await sendTestEvent(org.actors.developer, ep.id, 'compound.created');
    await h.db.update(deliveries).set({ status: 'failed' }).where(eq(deliveries.id, deliveryId));
    expect((await errorOf(replayDelivery(viewer, deliveryId)))).toBeInstanceOf(ForbiddenError);
    await replayDelivery(org.actors.developer, deliveryId);
    await h.db.update(deliveries).set({ status: 'failed' }).where(eq(deliveries.id, deliveryId));
    const since = new Date(Date.now() - 60_000);
    expect((await errorOf(replayFailed(viewer, ep.id, since)))).toBeInstanceOf(ForbiddenError);
    await replayFailed(org.actors.developer, ep.id, since, { dryRun: true }); // a count changes nothing: not audited
    await replayFailed(org.actors.developer, ep.id, since);
    const { data } = await listAuditLog(org.orgId);
    expect(data.map((e) => [e.action, e.target, e.detail, e.actor])).toEqual([
      ['deliveries.replayed_failed', ep.id, { count: 1, since: since.toISOString(), retry: 'once' }, org.actors.developer.label],
      ['delivery.replayed', deliveryId, { endpointId: ep.id, eventId: event.id, retry: 'once' }, org.actors.developer.label],
      ['event.test_sent', ep.id, { eventId: event.id, type: 'compound.created' }, org.actors.developer.label],
    ]);
  });
});
