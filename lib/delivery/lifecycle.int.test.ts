import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useTestDb, useReceivers } from '@/test/suite';
import { useWorker } from '@/test/worker';
import { getDelivery, listDeliveries, replayDelivery, replayFailed, replaySkipped } from '@/lib/webhooks/deliveries';
import { getEndpoint, setEndpointEnabled, setEndpointPaused } from '@/lib/webhooks/endpoints';
import { publishEvent } from '@/lib/webhooks/events';
import { publishEvents } from '@/lib/webhooks/publish-batch';
import { listAuditLog } from '@/lib/audit/log';
import { DEFAULT_EVENT_TYPES } from '@/lib/webhooks/catalog';
import { errorOf, makeOrg, publisher } from '@/test/factories';
import { ForbiddenError } from '@/lib/auth/permissions';
import { addEndpoint, attemptsOf, deliveriesOf, until } from '@/test/delivery';
import { ORG_SCAN_ROWS } from './claim';

// Nothing vanishes: skipped deliveries while disabled (not while paused), Pause / Resume, and Replay as one attempt.

const compound = (i: number) => ({ id: `c-${i}`, name: 'Aspirin', category: 'analgesic', efficacy: 0.5 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const h = useTestDb();
const receiver = useReceivers();
useWorker([0.3, 0.3, 0.3], { id: 'wrk_lifecycle', pollMs: 200 });

describe('skipped deliveries', () => {
  it('records events published while disabled as skipped (never attempted), not while paused, and Replay skipped sends them after re-enabling', async () => {
    const { orgId, actors } = await makeOrg(h.db, ['developer']);
    const dev = actors.developer;
    const rx = await receiver();
    const ep = await addEndpoint(h.db, orgId, rx.url, { eventTypes: ['compound.created'] });
    await addEndpoint(h.db, orgId, rx.url + '?other', { eventTypes: ['*'] });
    const since = new Date(Date.now() - 1000);

    await setEndpointEnabled(dev, ep.id, false);
    const single = await publishEvent(publisher(orgId), 'compound.created', compound(1));
    expect(single).toMatchObject({ deliveries: 1, skipped: 1 });
    const batch = await publishEvents(publisher(orgId), [
      { type: 'compound.created', data: compound(2) },
      { type: 'investigation.updated', data: DEFAULT_EVENT_TYPES[1].sample as Record<string, unknown> },
    ]);
    expect(batch.map((b) => [b.deliveries, b.skipped])).toEqual([[1, 1], [1, 0]]);
    // an idempotent repeat answers the same counts
    const keyed = await publishEvent(publisher(orgId), 'compound.created', compound(3), { idempotencyKey: 'k-1' });
    expect(await publishEvent(publisher(orgId), 'compound.created', compound(3), { idempotencyKey: 'k-1' })).toMatchObject({ duplicate: true, deliveries: 1, skipped: 1, event: { id: keyed.event.id } });

    // the other endpoint gets all four; the disabled one none
    await rx.waitFor(4);
    await sleep(600);
    expect(rx.requests.every((r) => r.path.includes('other'))).toBe(true);
    const skipped = (await listDeliveries(orgId, { endpointId: ep.id, status: 'skipped' })).data;
    expect(skipped).toHaveLength(3);
    expect(skipped.every((d) => d.skipReason === 'endpoint_disabled' && d.attempts === 0 && d.nextAttemptAt === null)).toBe(true);
    expect((await listDeliveries(orgId, { endpointId: ep.id })).data).toHaveLength(3);
    // skipped deliveries are not counted in the endpoint's 24 h figures
    expect((await getEndpoint(orgId, ep.id)).deliveries24h).toEqual({ succeeded: 0, failed: 0, pending: 0 });

    // still disabled: Replay skipped says to enable first and changes nothing
    expect(await errorOf(replaySkipped(dev, ep.id, since))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/enable it first/) });

    // paused (and enabled): events wait as pending, none is skipped
    await setEndpointEnabled(dev, ep.id, true);
    await setEndpointPaused(dev, ep.id, true);
    const paused = await publishEvent(publisher(orgId), 'compound.created', compound(4));
    expect(paused).toMatchObject({ deliveries: 2, skipped: 0 });
    const [waiting] = (await deliveriesOf(h.db, paused.event.id)).filter((d) => d.endpointId === ep.id);
    expect(waiting).toMatchObject({ status: 'pending', skipReason: null });
    await setEndpointPaused(dev, ep.id, false);

    // Replay skipped: a dry-run count first, then they are sent, one attempt each
    expect(await replaySkipped(dev, ep.id, since, { dryRun: true })).toEqual({ count: 3 });
    expect(await replaySkipped(dev, ep.id, new Date(Date.now() + 60_000), { dryRun: true })).toEqual({ count: 0 });
    expect(await replaySkipped(dev, ep.id, since)).toEqual({ count: 3 });
    // the paused one goes out on Resume, the three skipped ones on Replay skipped: nothing else was ever sent to it
    await until(async () => rx.requests.filter((r) => !r.path.includes('other')).length >= 4, 10_000, 'the skipped and the waiting deliveries');
    const done = await until(async () => {
      const rows = (await listDeliveries(orgId, { endpointId: ep.id })).data;
      return rows.every((d) => d.status === 'succeeded') && rows;
    });
    expect(done).toHaveLength(4);
    expect(done.every((d) => d.skipReason === null && d.attempts === 1)).toBe(true);
    const ids = rx.requests.filter((r) => !r.path.includes('other')).map((r) => r.headers['webhook-id']);
    expect(new Set(ids)).toEqual(new Set([single.event.id, batch[0]!.id, keyed.event.id, paused.event.id]));
    expect(await replaySkipped(dev, ep.id, since, { dryRun: true })).toEqual({ count: 0 });

    const audit = (await listAuditLog(orgId)).data;
    expect(audit.map((e) => e.action)).toEqual(['deliveries.replayed_skipped', 'endpoint.resumed', 'endpoint.paused', 'endpoint.enabled', 'endpoint.disabled']);
    expect(audit[0]!.detail).toEqual({ count: 3, since: since.toISOString(), retry: 'once' });
  }, 40_000);
});

describe('pause and resume', () => {
  it('a paused endpoint gets no attempts while its deliveries wait pending; Resume sends them; a viewer may not pause', async () => {
    const { orgId, actors } = await makeOrg(h.db, ['developer', 'viewer']);
    const rx = await receiver();
    const ep = await addEndpoint(h.db, orgId, rx.url);
    const view = await setEndpointPaused(actors.developer, ep.id, true);
    expect(view).toMatchObject({ status: 'paused', enabled: true });
    expect(view.pausedAt).toBeInstanceOf(Date);
    expect(await errorOf(setEndpointPaused(actors.viewer, ep.id, false))).toBeInstanceOf(ForbiddenError);
    const published = [];
    for (let i = 0; i < 3; i++) published.push(await publishEvent(publisher(orgId), 'compound.created', compound(i)));
    await sleep(1500);
    expect(rx.requests).toHaveLength(0);
    for (const p of published) expect((await deliveriesOf(h.db, p.event.id))[0]).toMatchObject({ status: 'pending', attempts: 0 });
    // pausing twice changes nothing and records once
    await setEndpointPaused(actors.developer, ep.id, true);
    const resumed = await setEndpointPaused(actors.developer, ep.id, false);
    expect(resumed).toMatchObject({ status: 'active', pausedAt: null });
    await rx.waitFor(3);
    expect(new Set(rx.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set(published.map((p) => p.event.id)));
    const actions = (await listAuditLog(orgId)).data.map((e) => e.action);
    expect(actions).toEqual(['endpoint.resumed', 'endpoint.paused']);
  }, 30_000);

  it("a paused endpoint's backlog, deeper than one claim's scan, does not hold up its organization's other endpoints", async () => {
    const { orgId, actors } = await makeOrg(h.db, ['developer']);
    const rx = await receiver();
    const held = await addEndpoint(h.db, orgId, rx.url + '?held', { eventTypes: ['investigation.updated'] });
    await addEndpoint(h.db, orgId, rx.url + '?free', { eventTypes: ['compound.created'] });
    await setEndpointPaused(actors.developer, held.id, true);
    const ev = await publishEvent(publisher(orgId), 'investigation.updated', DEFAULT_EVENT_TYPES[1].sample);
    // ORG_SCAN_ROWS + 500 due rows of the paused endpoint, older than anything else of the organization
    await h.db.execute(sql`insert into deliveries (id, org_id, event_id, endpoint_id, event_type, status, next_attempt_at)
      select 'dlv_backlog' || g, ${orgId}, ${ev.event.id}, ${held.id}, 'investigation.updated', 'pending', now() - interval '1 hour'
      from generate_series(1, ${ORG_SCAN_ROWS + 500}) g`);
    const free = await publishEvent(publisher(orgId), 'compound.created', compound(1));
    await rx.waitFor(1, 10_000);
    expect(rx.requests.map((r) => [r.path.includes('free'), r.headers['webhook-id']])).toEqual([[true, free.event.id]]);
  }, 30_000);
});

describe('replay', () => {
  it('makes exactly one attempt against a failing receiver, then the delivery is failed with no next retry', async () => {
    const { orgId, actors } = await makeOrg(h.db, ['developer']);
    const rx = await receiver();
    rx.fallback = { kind: 'status', status: 500, body: 'down' };
    await addEndpoint(h.db, orgId, rx.url);
    const { event } = await publishEvent(publisher(orgId), 'compound.created', compound(1));
    // the schedule runs out: 1 + 3 retries
    const [d] = await until(async () => {
      const rows = await deliveriesOf(h.db, event.id);
      return rows[0]?.status === 'failed' && rows;
    }, 15_000, 'the schedule to end');
    expect(d!.attempts).toBe(4);
    await replayDelivery(actors.developer, d!.id);
    await rx.waitFor(5);
    const after = await until(async () => {
      const x = await getDelivery(orgId, d!.id);
      return x.delivery.status === 'failed' && x.attempts.length === 5 && x.attempts[4]!.finishedAt && x;
    }, 10_000, 'the replay to fail');
    expect(after.delivery).toMatchObject({ status: 'failed', attempts: 5, nextAttemptAt: null, lastStatusCode: 500 });
    await sleep(1500); // longer than the whole schedule: no further attempt comes
    expect(rx.requests).toHaveLength(5);
    expect((await attemptsOf(h.db, d!.id)).map((a) => a.number)).toEqual([1, 2, 3, 4, 5]);

    // "retry on schedule" restarts the schedule: a fresh run of 1 + 3 attempts
    await replayDelivery(actors.developer, d!.id, { retry: 'schedule' });
    await rx.waitFor(9, 15_000);
    await until(async () => (await getDelivery(orgId, d!.id)).delivery.status === 'failed', 10_000, 'the new run to end');
    await sleep(1000);
    expect(rx.requests).toHaveLength(9);
    expect(new Set(rx.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([event.id]));
    const audit = (await listAuditLog(orgId)).data.map((e) => [e.action, e.detail?.retry]);
    expect(audit).toEqual([['delivery.replayed', 'schedule'], ['delivery.replayed', 'once']]);
  }, 60_000);

  it('Replay failed since: one attempt each, and succeeds once the receiver is back', async () => {
    const { orgId, actors } = await makeOrg(h.db, ['developer']);
    const rx = await receiver();
    rx.fallback = { kind: 'status', status: 503 };
    const ep = await addEndpoint(h.db, orgId, rx.url);
    const since = new Date(Date.now() - 1000);
    const a = await publishEvent(publisher(orgId), 'compound.created', compound(1));
    const b = await publishEvent(publisher(orgId), 'compound.created', compound(2));
    await until(async () => (await listDeliveries(orgId, { endpointId: ep.id, status: 'failed' })).data.length === 2, 15_000, 'both to fail');
    const sent = rx.requests.length;
    expect(sent).toBe(8);
    // still failing: one attempt each, then failed again
    expect(await replayFailed(actors.developer, ep.id, since, { dryRun: true })).toEqual({ count: 2 });
    expect(await replayFailed(actors.developer, ep.id, since)).toEqual({ count: 2 });
    await rx.waitFor(10);
    await until(async () => (await listDeliveries(orgId, { endpointId: ep.id, status: 'failed' })).data.length === 2, 10_000, 'both to fail again');
    await sleep(1200);
    expect(rx.requests).toHaveLength(10);
    // back up: the next replay delivers
    rx.fallback = { kind: 'ok' };
    await replayFailed(actors.developer, ep.id, since);
    await until(async () => (await listDeliveries(orgId, { endpointId: ep.id, status: 'succeeded' })).data.length === 2, 10_000, 'both to succeed');
    expect(rx.requests).toHaveLength(12);
    expect(new Set(rx.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([a.event.id, b.event.id]));
  }, 60_000);
});
