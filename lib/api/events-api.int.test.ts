import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '@/test/suite';
import { newId } from '@/db/ids';
import { attempts, deliveries, endpoints, events } from '@/db/schema';
import { setEnv } from '@/lib/env';
import { call, makeApiOrg, makeApiOrgWithEndpoints } from '@/test/api';

const h = useTestDb();
let a: Awaited<ReturnType<typeof makeApiOrg>>;
let epCompound: string;
let epAll: string;
const sample = { id: 'compound-123', name: 'Aspirin', category: 'analgesic', efficacy: 0.92 };

beforeAll(async () => {
  setEnv({ WEBHOOK_ALLOW_PRIVATE_TARGETS: true });
  ({ a, epCompound, epAll } = await makeApiOrgWithEndpoints(h.db));
});

const post = (body: unknown, headers: Record<string, string> = {}) => call('POST', '/events', { key: a.developerKey, body, headers });

describe('POST /events', () => {
  it('publishes to every subscribed endpoint and answers 202 { id, deliveries }', async () => {
    const r = await post({ type: 'compound.created', data: sample });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ id: expect.stringMatching(/^evt_/), deliveries: 2, skipped: 0 });
    const [ev] = await h.db.select().from(events).where(eq(events.id, r.body.id));
    expect(ev).toMatchObject({ orgId: a.orgId, type: 'compound.created', data: JSON.stringify(sample) });
    const other = await post({ type: 'investigation.updated', data: { investigation_id: '14c08b5d-e32c-46d7-ba5e-156bd543eefa', organization_id: '766b0fc0-bfe2-4032-a510-ccd068a0c160', investigation_type: 'individual_investigation', status: { approval_state: 'AI_CLEARED', processing_state: 'COMPLETED' } } });
    expect(other.body.deliveries).toBe(1);
  });

  it('with an Idempotency-Key: the same body answers the first event, another body answers 409', async () => {
    const key = `order-${Date.now()}`;
    const first = await post({ type: 'compound.created', data: sample }, { 'Idempotency-Key': key });
    // the same request sent with other whitespace is the same request
    const again = await call('POST', '/events', { key: a.developerKey, raw: JSON.stringify({ type: 'compound.created', data: sample }, null, 2), headers: { 'idempotency-key': key } });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const conflict = await post({ type: 'compound.created', data: { ...sample, name: 'Ibuprofen' } }, { 'Idempotency-Key': key });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('conflict');
    expect(await h.db.select().from(events).where(eq(events.idempotencyKey, key))).toHaveLength(1);
    const badKey = await post({ type: 'compound.created', data: sample }, { 'Idempotency-Key': 'has spaces' });
    expect(badKey.status).toBe(422);
    expect(badKey.body.error.details[0].path).toBe('header.Idempotency-Key');
  });

  it('answers 400 for malformed JSON, 422 for an unknown type or data that is not an object or misses its schema', async () => {
    const before = (await h.db.select().from(events)).length;
    const malformed = await call('POST', '/events', { key: a.developerKey, raw: '{"type": "compound.created", data: }' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_json');
    const unknown = await post({ type: 'nope.nothing', data: {} });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details[0].path).toBe('body.type');
    const notObject = await post({ type: 'compound.created', data: [1, 2] });
    expect(notObject.status).toBe(422);
    expect(notObject.body.error.details[0].path).toBe('body.data');
    const schema = await post({ type: 'compound.created', data: { id: 'x' } });
    expect(schema.status).toBe(422);
    expect(schema.body.error.details[0].path).toBe('body.data');
    const empty = await call('POST', '/events', { key: a.developerKey });
    expect(empty.status).toBe(422);
    expect((await h.db.select().from(events)).length).toBe(before);
  });

  it('answers 413 for event data over 256 KiB encoded, and for raw bodies over 1 MiB however they are sent', async () => {
    const big = await post({ type: 'compound.created', data: { ...sample, blob: 'x'.repeat(300 * 1024) } });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('too_large');
    const huge = JSON.stringify({ type: 'compound.created', data: { ...sample, blob: 'x'.repeat(1100 * 1024) } });
    const declared = await call('POST', '/events', { key: a.developerKey, raw: huge });
    expect(declared.status).toBe(413);
    const bytes = new TextEncoder().encode(huge);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) c.enqueue(bytes.subarray(i, i + 64 * 1024));
        c.close();
      },
    });
    const chunked = await call('POST', '/events', { key: a.developerKey, raw: stream });
    expect(chunked.status).toBe(413);
    expect(chunked.body.error.message).toMatch(/over 1024 KiB/);
  });
});

describe('test events, deliveries and replays', () => {
  it('POST /endpoints/{id}/test sends the sample (or given data) to that endpoint only', async () => {
    const r = await call('POST', `/endpoints/${epCompound}/test`, { key: a.developerKey, body: { type: 'compound.created' } });
    expect(r.status).toBe(202);
    const rows = await h.db.select().from(deliveries).where(eq(deliveries.eventId, r.body.id));
    expect(rows.map((d) => [d.id, d.endpointId])).toEqual([[r.body.deliveryId, epCompound]]);
    const [ev] = await h.db.select().from(events).where(eq(events.id, r.body.id));
    expect(JSON.parse(ev.data)).toEqual(sample);
    const bad = await call('POST', `/endpoints/${epCompound}/test`, { key: a.developerKey, body: { type: 'nope.nothing' } });
    expect(bad.status).toBe(422);
  });

  it('GET /endpoints/{id}/deliveries filters and pages newest first', async () => {
    for (let i = 0; i < 3; i++) await post({ type: 'compound.created', data: { ...sample, id: `c-${i}` } });
    const page1 = await call('GET', `/endpoints/${epAll}/deliveries`, { key: a.developerKey, query: { limit: '2' } });
    expect(page1.status).toBe(200);
    expect(page1.body.data).toHaveLength(2);
    expect(page1.body.data[0]).toMatchObject({ endpointId: epAll, status: 'pending', attemptCount: 0, test: false });
    const page2 = await call('GET', `/endpoints/${epAll}/deliveries`, { key: a.developerKey, query: { limit: '2', cursor: page1.body.nextCursor } });
    expect(page2.body.data[0].id < page1.body.data[1].id).toBe(true);
    const typed = await call('GET', `/endpoints/${epAll}/deliveries`, { key: a.developerKey, query: { eventType: 'investigation.updated' } });
    expect(typed.body.data.every((d: { eventType: string }) => d.eventType === 'investigation.updated')).toBe(true);
    expect(typed.body.data.length).toBeGreaterThan(0);
    const future = await call('GET', `/endpoints/${epAll}/deliveries`, { key: a.developerKey, query: { since: new Date(Date.now() + 60_000).toISOString() } });
    expect(future.body).toEqual({ data: [], nextCursor: null });
    for (const query of [{ limit: '0' }, { status: 'lost' }, { since: 'yesterday' }, { cursor: 'abc' }] as Record<string, string>[]) {
      const bad = await call('GET', `/endpoints/${epAll}/deliveries`, { key: a.developerKey, query });
      expect(bad.status).toBe(422);
      expect(bad.body.error.details[0].path).toBe(`query.${Object.keys(query)[0]}`);
    }
  });

  it('GET /deliveries/{id} shows attempts; replay and replay-failed queue new attempts', async () => {
    const ev = await post({ type: 'compound.created', data: sample });
    const [d] = await h.db.select().from(deliveries).where(eq(deliveries.eventId, ev.body.id)).limit(1);
    const startedAt = new Date();
    await h.db.update(deliveries).set({ status: 'failed', attempts: 1, lastStatusCode: 500, lastAttemptAt: startedAt, nextAttemptAt: null }).where(eq(deliveries.id, d.id));
    await h.db.insert(attempts).values({ id: newId('att'), orgId: a.orgId, deliveryId: d.id, number: 1, startedAt, finishedAt: startedAt, responseStatus: 500, responseBody: 'oops', latencyMs: 12, failureCause: 'http_5xx', failureMessage: 'HTTP 500' });
    const got = await call('GET', `/deliveries/${d.id}`, { key: a.developerKey });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: d.id, status: 'failed', attemptCount: 1, lastStatusCode: 500, event: { id: ev.body.id, type: 'compound.created', data: sample } });
    expect(got.body.attempts).toEqual([expect.objectContaining({ number: 1, responseStatus: 500, responseBody: 'oops', failureCause: 'http_5xx' })]);
    const since = new Date(Date.now() - 3600_000).toISOString();
    const dry = await call('POST', `/endpoints/${d.endpointId}/replay-failed`, { key: a.developerKey, body: { since, dryRun: true } });
    expect(dry).toMatchObject({ status: 200, body: { count: 1 } });
    expect((await h.db.select().from(deliveries).where(eq(deliveries.id, d.id)))[0].status).toBe('failed');
    const real = await call('POST', `/endpoints/${d.endpointId}/replay-failed`, { key: a.developerKey, body: { since } });
    expect(real.body).toEqual({ count: 1 });
    expect((await h.db.select().from(deliveries).where(eq(deliveries.id, d.id)))[0].status).toBe('pending');
    const r = await call('POST', `/deliveries/${d.id}/replay`, { key: a.developerKey });
    expect(r).toMatchObject({ status: 202, body: { id: d.id, status: 'pending' } });
    const noSince = await call('POST', `/endpoints/${d.endpointId}/replay-failed`, { key: a.developerKey, body: {} });
    expect(noSince.status).toBe(422);
  });

  it('pause / resume, skipped deliveries (publish counts, status=skipped, replay-skipped) and the replay retry option', async () => {
    const c = await makeApiOrg(h.db);
    const ep = (await call('POST', '/endpoints', { key: c.adminKey, body: { url: 'https://127.0.0.1:9443/c', eventTypes: ['*'] } })).body.endpoint;
    expect(ep).toMatchObject({ enabled: true, paused: false, pausedAt: null, status: 'active' });
    const paused = await call('POST', `/endpoints/${ep.id}/pause`, { key: c.developerKey });
    expect(paused).toMatchObject({ status: 200, body: { paused: true, status: 'paused', pausedAt: expect.any(String) } });
    const whilePaused = await call('POST', '/events', { key: c.developerKey, body: { type: 'compound.created', data: sample } });
    expect(whilePaused.body).toMatchObject({ deliveries: 1, skipped: 0 });
    expect((await call('POST', `/endpoints/${ep.id}/resume`, { key: c.developerKey })).body).toMatchObject({ paused: false, status: 'active' });

    await h.db.update(endpoints).set({ enabled: false }).where(eq(endpoints.id, ep.id)); // disabled (no API route disables)
    const single = await call('POST', '/events', { key: c.developerKey, body: { type: 'compound.created', data: sample } });
    expect(single.body).toEqual({ id: expect.stringMatching(/^evt_/), deliveries: 0, skipped: 1 });
    const batch = await call('POST', '/events/batch', { key: c.developerKey, body: { events: [{ type: 'compound.created', data: sample }] } });
    expect(batch.body.events[0]).toMatchObject({ deliveries: 0, skipped: 1 });
    const listed = await call('GET', `/endpoints/${ep.id}/deliveries`, { key: c.developerKey, query: { status: 'skipped' } });
    expect(listed.body.data.map((d: { status: string; skipReason: string; attemptCount: number }) => [d.status, d.skipReason, d.attemptCount])).toEqual([
      ['skipped', 'endpoint_disabled', 0],
      ['skipped', 'endpoint_disabled', 0],
    ]);
    const since = new Date(Date.now() - 3600_000).toISOString();
    const refused = await call('POST', `/endpoints/${ep.id}/replay-skipped`, { key: c.developerKey, body: { since, dryRun: true } });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'conflict', message: expect.stringMatching(/enable it first/) } } });
    await h.db.update(endpoints).set({ enabled: true }).where(eq(endpoints.id, ep.id));
    expect((await call('POST', `/endpoints/${ep.id}/replay-skipped`, { key: c.developerKey, body: { since, dryRun: true } })).body).toEqual({ count: 2 });
    expect((await call('POST', `/endpoints/${ep.id}/replay-skipped`, { key: c.developerKey, body: { since } })).body).toEqual({ count: 2 });
    const d = listed.body.data[0];
    const again = await call('GET', `/deliveries/${d.id}`, { key: c.developerKey });
    expect(again.body).toMatchObject({ status: 'pending', skipReason: null });

    const bad = await call('POST', `/deliveries/${d.id}/replay`, { key: c.developerKey, body: { retry: 'forever' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].path).toBe('body.retry');
    await h.db.update(deliveries).set({ status: 'failed', nextAttemptAt: null }).where(eq(deliveries.id, d.id));
    expect((await call('POST', `/deliveries/${d.id}/replay`, { key: c.developerKey, body: { retry: 'schedule' } })).status).toBe(202);
    expect((await h.db.select().from(deliveries).where(eq(deliveries.id, d.id)))[0]).toMatchObject({ status: 'pending', scheduleStep: 0 });
    expect((await call('POST', `/endpoints/${ep.id}/pause`, {})).status).toBe(401);
  });

  it("answers 404 for organization B's endpoint and delivery ids, creating nothing", async () => {
    const b = await makeApiOrg(h.db);
    const epB = (await call('POST', '/endpoints', { key: b.adminKey, body: { url: 'https://127.0.0.1:9443/b', eventTypes: ['*'] } })).body.endpoint.id;
    const evB = await call('POST', '/events', { key: b.developerKey, body: { type: 'compound.created', data: sample } });
    const [dB] = await h.db.select().from(deliveries).where(eq(deliveries.eventId, evB.body.id));
    const before = { events: (await h.db.select().from(events)).length, deliveries: await h.db.select().from(deliveries).where(eq(deliveries.id, dB.id)) };
    const k = a.adminKey;
    const answers = [
      await call('POST', `/endpoints/${epB}/test`, { key: k, body: { type: 'compound.created' } }),
      await call('GET', `/endpoints/${epB}/deliveries`, { key: k }),
      await call('POST', `/endpoints/${epB}/replay-failed`, { key: k, body: { since: new Date(0).toISOString() } }),
      await call('GET', `/deliveries/${dB.id}`, { key: k }),
      await call('POST', `/deliveries/${dB.id}/replay`, { key: k }),
    ];
    expect(answers.map((r) => [r.status, r.body.error.code])).toEqual(Array(5).fill([404, 'not_found']));
    expect((await h.db.select().from(events)).length).toBe(before.events);
    expect(await h.db.select().from(deliveries).where(eq(deliveries.id, dB.id))).toEqual(before.deliveries);
  });
});
