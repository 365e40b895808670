import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { useTestDb, useStoppedAfterEach } from '@/test/suite';
import { testDbKind } from '@/test/db';
import { startReceiver, type Receiver } from '@/test/receiver';
import { newId } from '@/db/ids';
import { attempts, deliveries, events } from '@/db/schema';
import { publishEvent } from '@/lib/webhooks/events';
import { makeOrg, publisher } from '@/test/factories';
import { createSender } from './sender';
import { addEndpoint, attemptsOf, deliveriesOf, fastDeliveryEnv, spawnWorkerProcess, until } from '@/test/delivery';
import { startWorker } from './worker';

const compound = { id: 'compound-1', name: 'Aspirin', category: 'analgesic', efficacy: 0.92 };
const onPostgres = testDbKind() === 'postgres';
const h = useTestDb();
let rx: Receiver;

beforeAll(() => {
  fastDeliveryEnv([0.2, 0.2, 0.2]);
});
afterEach(async () => {
  await rx?.close();
});
const { workers, children } = useStoppedAfterEach();

describe('leases', () => {
  it('redelivers a delivery whose worker died mid-attempt once the lease expires, keeping the dead attempt', async () => {
    const { orgId } = await makeOrg(h.db, []);
    rx = await startReceiver();
    const ep = await addEndpoint(h.db, orgId, rx.url);
    const eventId = newId('evt');
    await h.db.insert(events).values({ id: eventId, orgId, type: 'compound.created', data: JSON.stringify(compound) });
    const past = new Date(Date.now() - 1000);
    const live = { orgId, eventId, endpointId: ep.id, eventType: 'compound.created', status: 'delivering' as const, attempts: 1, scheduleStep: 1 };
    const [dead, held] = [newId('dlv'), newId('dlv')];
    await h.db.insert(deliveries).values([
      { id: dead, ...live, leaseOwner: 'wrk_dead', leaseExpiresAt: past, nextAttemptAt: past },
      { id: held, ...live, leaseOwner: 'wrk_alive', leaseExpiresAt: new Date(Date.now() + 60_000), nextAttemptAt: past },
    ]);
    await h.db.insert(attempts).values([
      { id: newId('att'), orgId, deliveryId: dead, number: 1, startedAt: past },
      { id: newId('att'), orgId, deliveryId: held, number: 1, startedAt: past },
    ]);
    workers.push(startWorker());
    await rx.waitFor(1);
    const list = await until(async () => {
      const a = await attemptsOf(h.db, dead);
      return a.length === 2 && a[1]!.finishedAt && a;
    });
    expect(list.map((a) => [a.number, a.finishedAt === null, a.responseStatus])).toEqual([
      [1, true, null],
      [2, false, 200],
    ]);
    expect((await h.db.select().from(deliveries).where(eq(deliveries.id, dead)))[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
    await new Promise((r) => setTimeout(r, 1200));
    expect(rx.requests).toHaveLength(1);
    expect((await h.db.select().from(deliveries).where(eq(deliveries.id, held)))[0]).toMatchObject({ status: 'delivering', leaseOwner: 'wrk_alive' });
  });

  it('never lets two workers hold one delivery: 200 events, each attempt sent once, by one worker at a time', async () => {
    const { orgId } = await makeOrg(h.db, []);
    rx = await startReceiver();
    await addEndpoint(h.db, orgId, rx.url);
    // every send, per webhook-id: which worker, and when it started and ended
    const sends = new Map<string, { worker: number; start: number; end: number }[]>();
    for (const worker of [0, 1]) {
      const real = createSender({ timeoutMs: 5000, allowPrivate: true });
      const sender = {
        async send(req: Parameters<typeof real.send>[0]) {
          const start = Date.now();
          const result = await real.send(req);
          const list = sends.get(req.headers['webhook-id']!) ?? [];
          list.push({ worker, start, end: Date.now() });
          sends.set(req.headers['webhook-id']!, list);
          return result;
        },
        close: () => real.close(),
      };
      workers.push(startWorker({ batchSize: 10, sender }));
    }
    // published 20 at a time, so that work falls due faster than one claim of 10 takes it and both workers get some
    const ids: string[] = [];
    for (let i = 0; i < 200; i += 20) {
      const group = Array.from({ length: 20 }, (_, k) => publishEvent(publisher(orgId), 'compound.created', { ...compound, id: `c-${i + k}` }));
      for (const r of await Promise.all(group)) ids.push(r.event.id);
    }
    await until(async () => {
      const [{ n }] = await h.db
        .select({ n: sql<number>`count(*)::int` })
        .from(deliveries)
        .where(and(eq(deliveries.orgId, orgId), eq(deliveries.status, 'succeeded')));
      return Number(n) === 200;
    }, 25_000);
    const rows = await h.db.select().from(deliveries).where(eq(deliveries.orgId, orgId));
    const byEvent = new Map(rows.map((r) => [r.eventId, r]));
    for (const id of ids) {
      const list = sends.get(id)!.sort((a, b) => a.start - b.start);
      // as many sends as attempts counted at claim (1, or more after a timeout under load), never two at once
      expect(list.length).toBe(byEvent.get(id)!.attempts);
      for (let i = 1; i < list.length; i++) expect(list[i]!.start).toBeGreaterThanOrEqual(list[i - 1]!.end);
      expect((await attemptsOf(h.db, byEvent.get(id)!.id)).map((a) => a.number)).toEqual(list.map((_, i) => i + 1));
    }
    expect(new Set(rx.requests.map((r) => r.headers['webhook-id'])).size).toBe(200);
    expect(rx.requests).toHaveLength([...sends.values()].reduce((n, l) => n + l.length, 0));
    const perWorker = [0, 1].map((w) => [...sends.values()].flat().filter((s) => s.worker === w).length);
    expect(perWorker[0]).toBeGreaterThan(0);
    expect(perWorker[1]).toBeGreaterThan(0);
  });

  it.runIf(onPostgres)('survives SIGKILL of a worker process mid-attempt: another worker redelivers after the lease', async () => {
    const { orgId } = await makeOrg(h.db, []);
    rx = await startReceiver();
    rx.queue.push({ kind: 'hang' });
    await addEndpoint(h.db, orgId, rx.url);
    const { event } = await publishEvent(publisher(orgId), 'compound.created', compound);
    const first = spawnWorkerProcess(h.url!);
    children.push(first.child);
    await rx.waitFor(1, 20_000);
    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    await first.exited;
    const [d] = await deliveriesOf(h.db, event.id);
    expect(d).toMatchObject({ status: 'delivering', attempts: 1 });
    expect(d!.leaseExpiresAt!.getTime()).toBeGreaterThan(killedAt);
    workers.push(startWorker());
    await rx.waitFor(2, 25_000);
    expect(rx.requests[1]!.at).toBeGreaterThanOrEqual(d!.leaseExpiresAt!.getTime() - 50);
    expect(rx.requests.map((r) => r.headers['webhook-id'])).toEqual([event.id, event.id]);
    const list = await until(async () => {
      const a = await attemptsOf(h.db, d!.id);
      return a[1]?.finishedAt && a;
    });
    expect(list.map((a) => [a.number, a.finishedAt === null, a.responseStatus])).toEqual([
      [1, true, null],
      [2, false, 200],
    ]);
  }, 60_000);
});
