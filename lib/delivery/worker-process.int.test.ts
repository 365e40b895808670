import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useStoppedAfterEach } from '@/test/suite';
import { createTestDb, testDbKind } from '@/test/db';
import { pgProxy } from '@/test/pg-proxy';
import { startReceiver, type Receiver } from '@/test/receiver';
import { openPostgres, type DbHandle } from '@/db/client';
import { setDbHandle } from '@/lib/db';
import { newId } from '@/db/ids';
import { deliveries, events } from '@/db/schema';
import { publishEvent } from '@/lib/webhooks/events';
import { makeOrg, publisher } from '@/test/factories';
import { addEndpoint, attemptsOf, deliveriesOf, fastDeliveryEnv, spawnWorkerProcess, until } from '@/test/delivery';
import { EMBEDDED_REFUSAL, startWorker } from './worker';
import { WORK_CHANNEL } from './wake';
import { scrape, valueOf } from '@/test/metrics';
import { freePort } from '@/lib/http/free-port';

const compound = { id: 'compound-1', name: 'Aspirin', category: 'analgesic', efficacy: 0.92 };
let h: DbHandle & { url?: string };
let rx: Receiver;
const closers: (() => Promise<void>)[] = [];

// Inserts an event and its delivery as publish does, but without waking anyone (no notifyWork).
async function quietDelivery(orgId: string, endpointId: string): Promise<string> {
  const eventId = newId('evt');
  await h.db.insert(events).values({ id: eventId, orgId, type: 'compound.created', data: JSON.stringify(compound) });
  await h.db.insert(deliveries).values({ id: newId('dlv'), orgId, eventId, endpointId, eventType: 'compound.created', nextAttemptAt: new Date() });
  return eventId;
}

describe.runIf(testDbKind() === 'postgres')('worker processes on PostgreSQL', () => {
  beforeAll(async () => {
    h = await createTestDb();
    fastDeliveryEnv([0.2, 0.2, 0.2]);
  }, 90_000);
  afterEach(async () => {
    setDbHandle(h); // first: a close that fails must not leave the next test on a closed handle
    for (const close of closers.splice(0).reverse()) await close(); // last opened first: the pool before its proxy
    await rx?.close();
  });
  afterAll(async () => h?.close());
  const { workers, children } = useStoppedAfterEach();

  it('wakes on NOTIFY from another connection at once, with polling off', async () => {
    const { orgId } = await makeOrg(h.db, []);
    rx = await startReceiver();
    const ep = await addEndpoint(h.db, orgId, rx.url);
    workers.push(startWorker({ pollMs: 600_000 }));
    await new Promise((r) => setTimeout(r, 1000)); // listening, then asleep
    await quietDelivery(orgId, ep.id);
    await new Promise((r) => setTimeout(r, 1000));
    expect(rx.requests).toHaveLength(0); // no signal, no poll: it waits
    await h.db.execute(sql`select pg_notify(${WORK_CHANNEL}, '')`);
    await rx.waitFor(1, 5000);
  });

  it("a publish's own statement NOTIFYs the workers of other processes, and its delivery is committed by then", async () => {
    const { orgId } = await makeOrg(h.db, []);
    rx = await startReceiver();
    const ep = await addEndpoint(h.db, orgId, rx.url);
    const listener = await h.pool!.connect();
    const heard: string[] = [];
    try {
      listener.on('notification', (n) => void (n.channel === WORK_CHANNEL && heard.push(n.channel)));
      await listener.query(`listen ${WORK_CHANNEL}`);
      const { event } = await publishEvent(publisher(orgId), 'compound.created', compound);
      await until(async () => heard.length > 0, 5000, 'the NOTIFY of the publish');
      const [delivery] = await deliveriesOf(h.db, event.id);
      expect(delivery).toMatchObject({ endpointId: ep.id, status: 'pending' });
    } finally {
      await listener.query('unlisten *').catch(() => {});
      listener.release();
    }
  });

  it('keeps working across a database outage: reconnects, listens again, delivers what was published meanwhile', async () => {
    const { orgId } = await makeOrg(h.db, []);
    rx = await startReceiver();
    const ep = await addEndpoint(h.db, orgId, rx.url);
    const proxy = await pgProxy(new URL(h.url!));
    closers.push(proxy.close);
    const proxied = await openPostgres(h.url!.replace(/:\d+\//, `:${proxy.port}/`), { migrate: false });
    closers.push(() => proxied.close().catch(() => {}));
    setDbHandle(proxied);
    const logs: string[] = [];
    workers.push(startWorker({ pollMs: 600_000, log: (msg) => logs.push(msg) }));
    await publishEvent(publisher(orgId), 'compound.created', compound);
    await rx.waitFor(1, 10_000);
    await proxy.down();
    await quietDelivery(orgId, ep.id);
    await h.db.execute(sql`select pg_notify(${WORK_CHANNEL}, '')`); // lost: the worker's listener is cut off
    await new Promise((r) => setTimeout(r, 2000));
    await proxy.up();
    await rx.waitFor(2, 20_000);
    expect(logs.some((m) => /work listener lost/.test(m))).toBe(true);
  }, 60_000);

  it('npm run worker finishes the attempt under way on SIGTERM and exits 0', async () => {
    const { orgId } = await makeOrg(h.db, []);
    rx = await startReceiver();
    rx.queue.push({ kind: 'hang' });
    await addEndpoint(h.db, orgId, rx.url);
    const { event } = await publishEvent(publisher(orgId), 'compound.created', compound);
    const w = spawnWorkerProcess(h.url!, { WEBHOOK_TIMEOUT_MS: '1500', WEBHOOK_LEASE_MS: '11500' });
    children.push(w.child);
    await rx.waitFor(1, 20_000);
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    expect(w.output()).toMatch(/SIGTERM: no new claims/);
    const [d] = await deliveriesOf(h.db, event.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, leaseOwner: null });
    expect((await attemptsOf(h.db, d!.id))[0]).toMatchObject({ failureCause: 'timeout' });
    expect(rx.requests).toHaveLength(1);
  }, 60_000);

  it('npm run worker serves its metrics on WORKER_METRICS_PORT, with the token only', async () => {
    const { orgId } = await makeOrg(h.db, []);
    rx = await startReceiver();
    await addEndpoint(h.db, orgId, rx.url);
    const token = 'worker-metrics-token-0123456789abcdef';
    const port = await freePort();
    const w = spawnWorkerProcess(h.url!, { WORKER_METRICS_PORT: String(port), HOST: '127.0.0.1', METRICS_TOKEN: token });
    children.push(w.child);
    await until(async () => w.output().includes('/metrics') || w.child.exitCode !== null, 30_000, 'the metrics server');
    expect(w.output()).toContain(`metrics on http://127.0.0.1:${port}/metrics`);
    const url = `http://127.0.0.1:${port}/metrics`;
    expect((await scrape(url)).status).toBe(404);
    expect((await scrape(url, 'wrong-token')).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    await publishEvent(publisher(orgId), 'compound.created', compound);
    await rx.waitFor(1, 20_000);
    const after = await until(async () => {
      const s = await scrape(url, token);
      return valueOf(s, 'hookrelay_deliveries_total', { status: 'succeeded' }) >= 1 && s;
    }, 10_000, 'the delivery to be counted');
    expect(valueOf(after, 'hookrelay_attempts_total', { outcome: 'success' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(after, 'hookrelay_attempts_in_flight')).toBe(0);
    expect(valueOf(after, 'hookrelay_queue_depth')).toBeGreaterThanOrEqual(0);
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  }, 60_000);

  it('npm run worker refuses embedded mode', async () => {
    const w = spawnWorkerProcess('');
    children.push(w.child);
    expect(await w.exited).toBe(1);
    expect(w.output()).toContain(EMBEDDED_REFUSAL);
  }, 30_000);
});
