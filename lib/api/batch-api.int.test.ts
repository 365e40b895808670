import { beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { eq, inArray, sql } from 'drizzle-orm';
import { useTestDb } from '@/test/suite';
import { deliveries, events } from '@/db/schema';
import { setEnv } from '@/lib/env';
import { DEFAULT_EVENT_TYPES } from '@/lib/webhooks/catalog';
import { startApiServer } from './http';
import { call, makeApiOrg, makeApiOrgWithEndpoints } from '@/test/api';

const h = useTestDb();
let a: Awaited<ReturnType<typeof makeApiOrg>>;
let epCompound: string;
let epAll: string;
const compound = (i: number) => ({ id: `compound-${i}`, name: `Compound ${i}`, category: 'analgesic', efficacy: 0.5 });
const investigation = DEFAULT_EVENT_TYPES[1].sample;

beforeAll(async () => {
  setEnv({ WEBHOOK_ALLOW_PRIVATE_TARGETS: true });
  ({ a, epCompound, epAll } = await makeApiOrgWithEndpoints(h.db));
});

const batch = (evs: unknown[], key = a.developerKey) => call('POST', '/events/batch', { key, body: { events: evs } });
const countEvents = async () => Number((await h.db.select({ n: sql<number>`count(*)::int` }).from(events))[0]!.n);

describe('POST /events/batch', () => {
  it('publishes every event in one go and answers 202 { events: [{ id, type, deliveries }] } in request order', async () => {
    const evs = [
      { type: 'compound.created', data: compound(1) },
      { type: 'investigation.updated', data: investigation },
      { type: 'compound.created', data: { name: 'Last', id: 'c-z', efficacy: 1, category: 'z' } },
    ];
    const r = await batch(evs);
    expect(r.status).toBe(202);
    expect(r.body).toEqual({
      events: [
        { id: expect.stringMatching(/^evt_/), type: 'compound.created', deliveries: 2, skipped: 0 },
        { id: expect.stringMatching(/^evt_/), type: 'investigation.updated', deliveries: 1, skipped: 0 },
        { id: expect.stringMatching(/^evt_/), type: 'compound.created', deliveries: 2, skipped: 0 },
      ],
    });
    const ids = r.body.events.map((e: { id: string }) => e.id);
    const stored = await h.db.select().from(events).where(inArray(events.id, ids));
    expect(new Map(stored.map((e) => [e.id, e.data])).get(ids[2])).toBe(JSON.stringify(evs[2]!.data)); // key order kept
    const made = await h.db.select().from(deliveries).where(inArray(deliveries.eventId, ids));
    expect(made.map((d) => `${ids.indexOf(d.eventId)} ${d.endpointId === epAll ? 'all' : d.endpointId === epCompound ? 'compound' : '?'} ${d.status}`).sort()).toEqual([
      '0 all pending', '0 compound pending', '1 all pending', '2 all pending', '2 compound pending',
    ]);
  });

  it('refuses the whole batch with 422 when any event is bad, naming each problem by its path; nothing is published', async () => {
    const before = await countEvents();
    const r = await batch([
      { type: 'compound.created', data: compound(1) },
      { type: 'no.such', data: {} },
      { type: 'compound.created', data: compound(2) },
      { type: 'compound.created', data: { ...compound(3), name: 42 } },
      { type: 'compound.created', data: { id: 'x', name: 'y', category: 'z' } },
    ]);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('validation_failed');
    expect(r.body.error.message).toMatch(/3 of the 5 events are not valid; nothing was published/);
    const paths = r.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['events.1.type', 'events.3.data.name', 'events.4.data']));
    expect(paths.every((p: string) => /^events\.[134]\./.test(p))).toBe(true);
    expect(r.body.error.details.find((d: { path: string }) => d.path === 'events.3.data.name').message).toMatch(/string/);
    expect(r.body.error.details.find((d: { path: string }) => d.path === 'events.4.data').message).toMatch(/efficacy/);
    expect(await countEvents()).toBe(before);
  });

  it('names shape problems by path too, and refuses 0 or 501 events', async () => {
    const shape = await batch([{ type: 'compound.created', data: compound(1) }, { type: 'compound.created', data: [1] }, { type: '', data: {}, extra: 1 }]);
    expect(shape.status).toBe(422);
    expect(shape.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['events.1.data', 'events.2.type', 'events.2']));
    const before = await countEvents();
    const none = await batch([]);
    expect(none.status).toBe(422);
    expect(none.body.error.details).toEqual([{ path: 'events', message: 'events must hold 1 to 500 events.' }]);
    const tooMany = await batch(Array.from({ length: 501 }, (_, i) => ({ type: 'compound.created', data: compound(i) })));
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.details).toEqual([{ path: 'events', message: expect.stringMatching(/1 to 500 events/) }]);
    const missing = await call('POST', '/events/batch', { key: a.developerKey, body: { type: 'compound.created', data: {} } });
    expect(missing.status).toBe(422);
    expect(await countEvents()).toBe(before);
    const full = await batch(Array.from({ length: 500 }, (_, i) => ({ type: 'compound.created', data: compound(i) })));
    expect(full.status).toBe(202);
    expect(full.body.events).toHaveLength(500);
    expect(await countEvents()).toBe(before + 500);
  });

  it("gives each event's idempotency key the single route's meaning, within and across batches", async () => {
    const single = await call('POST', '/events', { key: a.developerKey, body: { type: 'compound.created', data: compound(7) }, headers: { 'idempotency-key': 'k-7' } });
    expect(single.status).toBe(202);
    const first = await batch([
      { type: 'compound.created', data: compound(7), idempotencyKey: 'k-7' },
      { type: 'compound.created', data: compound(8), idempotencyKey: 'k-8' },
      { type: 'compound.created', data: compound(9) },
    ]);
    expect(first.status).toBe(202);
    expect(first.body.events[0]).toEqual({ id: single.body.id, type: 'compound.created', deliveries: 2, skipped: 0 });
    const before = await countEvents();
    const again = await batch([
      { type: 'compound.created', data: compound(8), idempotencyKey: 'k-8' },
      { type: 'compound.created', data: compound(10), idempotencyKey: 'k-10' },
    ]);
    expect(again.status).toBe(202);
    expect(again.body.events[0].id).toBe(first.body.events[1].id);
    expect(again.body.events[1].id).not.toBe(first.body.events[1].id);
    expect(await countEvents()).toBe(before + 1); // only k-10 is new
    const [one] = await h.db.select({ n: sql<number>`count(*)::int` }).from(deliveries).where(eq(deliveries.eventId, first.body.events[1].id));
    expect(Number(one!.n)).toBe(2); // the repeat made no deliveries

    const conflict = await batch([
      { type: 'compound.created', data: compound(11), idempotencyKey: 'k-11' },
      { type: 'compound.created', data: { ...compound(8), name: 'changed' }, idempotencyKey: 'k-8' },
    ]);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('conflict');
    expect(conflict.body.error.details).toEqual([{ path: 'events.1.idempotencyKey', message: expect.stringMatching(/different event/) }]);
    expect(await countEvents()).toBe(before + 1); // k-11 was not published either
  });

  it('refuses two events with the same idempotency key in one batch', async () => {
    const before = await countEvents();
    const r = await batch([
      { type: 'compound.created', data: compound(1), idempotencyKey: 'dup' },
      { type: 'compound.created', data: compound(2), idempotencyKey: 'other' },
      { type: 'compound.created', data: compound(3), idempotencyKey: 'dup' },
    ]);
    expect(r.status).toBe(422);
    expect(r.body.error.details).toEqual([{ path: 'events.2.idempotencyKey', message: expect.stringMatching(/Item 0 has the same idempotency key "dup"/) }]);
    expect(await countEvents()).toBe(before);
  });

  it('caps each event at 256 KiB encoded (413, naming the item) and the request at 5 MiB', async () => {
    const before = await countEvents();
    const big = await batch([{ type: 'compound.created', data: compound(1) }, { type: 'compound.created', data: { ...compound(2), blob: 'x'.repeat(260 * 1024) } }]);
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('too_large');
    expect(big.body.error.details).toEqual([{ path: 'events.1.data', message: expect.stringMatching(/limit is 256 KiB/) }]);
    // 21 events of 250 KiB each: every one fits, the request (5.1 MiB) does not
    const many = Array.from({ length: 21 }, (_, i) => ({ type: 'compound.created', data: { ...compound(i), blob: 'x'.repeat(250 * 1024) } }));
    const huge = await batch(many);
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toMatch(/over 5120 KiB/);
    expect(await countEvents()).toBe(before);
  });

  it('answers 413 on a declared length over 5 MiB before reading the body', async () => {
    const server = await startApiServer();
    try {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(`${server.url}/api/v1/events/batch`, {
          method: 'POST',
          headers: { authorization: `Bearer ${a.developerKey}`, 'content-type': 'application/json', 'content-length': String(6 * 1024 * 1024) },
        });
        req.on('response', (res) => {
          let body = '';
          res.on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        req.write('{"events": ['); // the rest never comes: the answer cannot wait for it
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).error.code).toBe('too_large');
    } finally {
      await server.close();
    }
  });
});
