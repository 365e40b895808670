import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '@/test/db';
import { startReceiver, type Receiver } from '@/test/receiver';
import type { DbHandle } from '@/db/client';
import { newId } from '@/db/ids';
import { deliveries, events } from '@/db/schema';
import { setEnv } from '@/lib/env';
import { call, makeApiOrg } from '@/test/api';
import { addEndpoint, deliveriesOf, fastDeliveryEnv, until } from '@/test/delivery';
import { startWorker, type Worker } from '@/lib/delivery/worker';
import { startMetricsServer } from './http';
import { countOf, sampleOf, scrape, valueOf } from '@/test/metrics';

const TOKEN = 'metrics-token-for-the-tests-0123456789';
let h: DbHandle;
let rx: Receiver;
let worker: Worker | undefined;
let server: Awaited<ReturnType<typeof startMetricsServer>>;
let url: string;

beforeAll(async () => {
  h = await createTestDb();
  fastDeliveryEnv([0.2]);
  server = await startMetricsServer({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${server.port}/metrics`;
  rx = await startReceiver();
}, 90_000);
afterAll(async () => {
  await worker?.stop();
  await server?.close();
  await rx?.close();
  await h?.close();
});

describe('GET /metrics', () => {
  it('is 404 without METRICS_TOKEN, 404 without the header, 401 for a wrong token', async () => {
    setEnv({ METRICS_TOKEN: undefined });
    expect((await scrape(url, TOKEN)).status).toBe(404);
    setEnv({ METRICS_TOKEN: TOKEN });
    const none = await scrape(url);
    expect(none.status).toBe(404);
    expect(none.text).not.toMatch(/hookrelay_/);
    const wrong = await scrape(url, 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toMatch(/hookrelay_/);
  });

  it('with the token: Prometheus text whose counters move after a publish and a delivery', async () => {
    setEnv({ METRICS_TOKEN: TOKEN });
    const a = await makeApiOrg(h.db);
    const ok = await addEndpoint(h.db, a.orgId, rx.url);
    const before = await scrape(url, TOKEN);
    expect(before.status).toBe(200);
    for (const name of [
      'hookrelay_deliveries_total', 'hookrelay_attempts_total', 'hookrelay_attempt_duration_seconds', 'hookrelay_attempts_in_flight',
      'hookrelay_queue_depth', 'hookrelay_queue_oldest_due_age_seconds', 'hookrelay_publish_requests_total', 'hookrelay_publish_duration_seconds',
    ]) {
      expect(before.families.some((f) => f.name === name), name).toBe(true);
    }
    // one due delivery nobody is sending yet: the queue shows it, and how long it has waited
    const { orgId } = a;
    const eventId = newId('evt');
    await h.db.insert(events).values({ id: eventId, orgId, type: 'compound.created', data: '{}' });
    await h.db.insert(deliveries).values({ id: newId('dlv'), orgId, eventId, endpointId: ok.id, eventType: 'compound.created', nextAttemptAt: new Date(Date.now() - 60_000) });
    const queued = await scrape(url, TOKEN);
    expect(valueOf(queued, 'hookrelay_queue_depth')).toBeGreaterThanOrEqual(1);
    expect(valueOf(queued, 'hookrelay_queue_oldest_due_age_seconds')).toBeGreaterThanOrEqual(59);

    const published = await call('POST', '/events', { key: a.developerKey, body: { type: 'compound.created', data: { id: 'c', name: 'n', category: 'x', efficacy: 1 } } });
    expect(published.status).toBe(202);
    const refused = await call('POST', '/events', { key: a.developerKey, body: { type: 'no.such.type', data: {} } });
    expect(refused.status).toBe(422);
    rx.queue.push({ kind: 'status', status: 503 });
    worker = startWorker({ id: 'wrk_metrics' });
    await until(async () => (await deliveriesOf(h.db, published.body.id)).every((d) => d.status === 'succeeded'), 15_000, 'the delivery');
    await until(async () => (await deliveriesOf(h.db, eventId)).every((d) => d.status === 'succeeded' || d.status === 'failed'), 15_000, 'the queued delivery');

    const after = await scrape(url, TOKEN);
    const moved = (name: string, labels: Record<string, string> = {}) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(moved('hookrelay_publish_requests_total', { kind: 'single', result: 'accepted' })).toBe(1);
    expect(moved('hookrelay_events_published_total')).toBe(1);
    expect(moved('hookrelay_publish_requests_total', { kind: 'single', result: 'refused' })).toBe(1); // the unknown type
    expect(countOf(after, 'hookrelay_publish_duration_seconds') - countOf(before, 'hookrelay_publish_duration_seconds')).toBe(2);
    expect(moved('hookrelay_deliveries_total', { status: 'succeeded' })).toBeGreaterThanOrEqual(1);
    expect(moved('hookrelay_attempts_total', { outcome: 'success' })).toBeGreaterThanOrEqual(1);
    expect(moved('hookrelay_attempts_total', { outcome: 'http_5xx' })).toBe(1);
    const attempts = moved('hookrelay_attempts_total', { outcome: 'success' }) + moved('hookrelay_attempts_total', { outcome: 'http_5xx' });
    expect(countOf(after, 'hookrelay_attempt_duration_seconds') - countOf(before, 'hookrelay_attempt_duration_seconds')).toBe(attempts);
    expect(Number(sampleOf(after, 'hookrelay_attempt_duration_seconds')!.sum)).toBeGreaterThan(0);
    expect(valueOf(after, 'hookrelay_attempts_in_flight')).toBe(0);
    expect(valueOf(after, 'hookrelay_queue_depth')).toBe(0);
    expect(valueOf(after, 'hookrelay_queue_oldest_due_age_seconds')).toBe(0);
    // no label names a tenant
    const labels = new Set(after.families.filter((f) => f.name.startsWith('hookrelay_')).flatMap((f) => f.metrics.flatMap((m) => Object.keys(m.labels ?? {}))));
    for (const l of labels) expect(['status', 'outcome', 'result', 'kind', 'le', 'space', 'version', 'major', 'minor', 'patch', 'type']).toContain(l);
    expect(sampleOf(after, 'hookrelay_process_cpu_seconds_total')).toBeDefined();
  }, 60_000);
});
