import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import { createTestDb } from '@/test/db';
import { startReceiver, type Receiver } from '@/test/receiver';
import type { DbHandle } from '@/db/client';
import { attempts, deliveries } from '@/db/schema';
import { setEnv } from '@/lib/env';
import { verifyWebhook } from '@/lib/signing';
import { startWorker, type Worker } from '@/lib/delivery/worker';
import { call, makeApiOrg } from '@/test/api';

// API_LOAD_COUNT makes a quicker run while developing; the suite publishes 1000.
const COUNT = Number(process.env.API_LOAD_COUNT ?? 1000);
let h: DbHandle;
let receiver: Receiver;
let worker: Worker | undefined;

beforeAll(async () => {
  h = await createTestDb();
  setEnv({ WEBHOOK_ALLOW_PRIVATE_TARGETS: true, WEBHOOK_TIMEOUT_MS: 15_000, WEBHOOK_LEASE_MS: 30_000, WEBHOOK_RETRY_SCHEDULE: [0.2, 0.5, 1] });
  receiver = await startReceiver();
});
afterAll(async () => {
  await worker?.stop();
  await receiver?.close();
  await h?.close();
});

describe('publishing through the API', () => {
  it(`delivers ${COUNT} events published with POST /events to an HTTPS receiver, each validly signed`, { timeout: 480_000 }, async () => {
    const a = await makeApiOrg(h.db);
    const made = await call('POST', '/endpoints', { key: a.developerKey, body: { url: receiver.url, eventTypes: ['compound.created'] } });
    expect(made.status).toBe(201);
    const secret: string = made.body.secret;
    worker = startWorker({ log: () => {} });

    const published = new Map<string, Record<string, unknown>>();
    for (let batch = 0; batch < COUNT; batch += 50) {
      const answers = await Promise.all(
        Array.from({ length: Math.min(50, COUNT - batch) }, (_, i) => {
          const data = { id: `compound-${batch + i}`, name: `Compound ${batch + i}`, category: 'analgesic', efficacy: (batch + i) / (COUNT + 50) };
          return call('POST', '/events', { key: a.developerKey, body: { type: 'compound.created', data } }).then((r) => ({ r, data }));
        }),
      );
      for (const { r, data } of answers) {
        expect(r.status).toBe(202);
        expect(r.body.deliveries).toBe(1);
        published.set(r.body.id, data);
      }
    }
    expect(published.size).toBe(COUNT);

    await waitForReceiver(COUNT, 360_000);
    const seen = new Set<string>();
    for (const req of receiver.requests) {
      const verdict = verifyWebhook({ format: 'standard', secrets: [secret], headers: req.headers, body: req.body });
      expect(verdict).toEqual({ ok: true });
      const id = String(req.headers['webhook-id']);
      const body = JSON.parse(req.body);
      expect(body).toMatchObject({ id, type: 'compound.created', data: published.get(id) });
      seen.add(id);
    }
    expect([...seen].sort()).toEqual([...published.keys()].sort());

    const deadline = Date.now() + 30_000;
    let succeeded = 0;
    while (Date.now() < deadline) {
      const [row] = await h.db.select({ n: sql<number>`count(*)::int` }).from(deliveries).where(eq(deliveries.status, 'succeeded'));
      succeeded = Number(row!.n);
      if (succeeded === COUNT) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(succeeded).toBe(COUNT);
  });
});

// Waits for the receiver to get `count` distinct events. The receiver always answers 200, so a TLS, connection or
// address failure fails the test at once; a timeout on a loaded machine is retried by the worker (at least once).
async function waitForReceiver(count: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  const distinct = () => new Set(receiver.requests.map((r) => String(r.headers['webhook-id']))).size;
  while (distinct() < count) {
    const [failed] = await h.db.select().from(attempts).where(inArray(attempts.failureCause, ['tls', 'connect', 'dns', 'blocked_address'])).limit(1);
    if (failed) throw new Error(`an attempt failed (${failed.failureCause}): ${failed.failureMessage} — is NODE_EXTRA_CA_CERTS set to the test CA?`);
    if (Date.now() > deadline) throw new Error(`the receiver got ${distinct()} of ${count} events in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
