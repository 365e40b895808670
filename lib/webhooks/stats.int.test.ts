import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '@/test/db';
import type { DbHandle } from '@/db/client';
import { attempts, deliveries, endpoints, events, organizations } from '@/db/schema';
import { newId } from '@/db/ids';
import { countInFlight, endpointStats, endpointSuccessRates } from './stats';

const NOW = new Date('2025-03-10T12:30:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

let h: DbHandle;

// One delivery with one finished attempt per entry: [minutes ago, status code, latency ms].
async function seed(orgId: string, endpointId: string, rows: [number, number | null, number | null][]) {
  for (const [ago, status, latency] of rows) {
    const at = minutesAgo(ago);
    const eventId = newId('evt', at.getTime());
    const deliveryId = newId('dlv', at.getTime());
    await h.db.insert(events).values({ id: eventId, orgId, type: 'compound.created', data: '{}', createdAt: at });
    await h.db.insert(deliveries).values({
      id: deliveryId, orgId, eventId, endpointId, eventType: 'compound.created',
      status: status && status < 300 ? 'succeeded' : 'failed', attempts: 1, createdAt: at,
    });
    await h.db.insert(attempts).values({
      id: newId('att', at.getTime()), orgId, deliveryId, number: 1, startedAt: at,
      finishedAt: new Date(at.getTime() + (latency ?? 0)), responseStatus: status, latencyMs: latency,
      failureCause: status === null ? 'timeout' : status >= 500 ? 'http_5xx' : status >= 300 ? 'http_4xx' : null,
    });
  }
}

beforeAll(async () => {
  h = await createTestDb();
  await h.db.insert(organizations).values([{ id: 'org_a', name: 'A' }, { id: 'org_b', name: 'B' }]);
  const ep = (id: string, orgId: string) => ({ id, orgId, url: `https://example.com/${id}`, eventTypes: ['*'] });
  await h.db.insert(endpoints).values([ep('ep_1', 'org_a'), ep('ep_2', 'org_a'), ep('ep_idle', 'org_a'), ep('ep_b', 'org_b')]);
  // Last 24 h on ep_1: three 2xx (10, 20, 30 ms) and one 500 (40 ms), one timeout; two days ago: two more 2xx.
  await seed('org_a', 'ep_1', [
    [5, 200, 10], [65, 204, 20], [130, 200, 30], [200, 500, 40], [300, null, null],
    [2 * 24 * 60, 200, 100], [2 * 24 * 60 + 5, 200, 300],
    [9 * 24 * 60, 500, 5], // beyond the week
  ]);
  await seed('org_a', 'ep_2', [[10, 200, 50], [20, 200, 50]]);
  // Another organization's attempts on a look-alike endpoint never leak into org_a's figures.
  await seed('org_b', 'ep_b', [[5, 500, 999], [6, 500, 999]]);
});
afterAll(async () => h?.close());

describe('endpointStats', () => {
  it('gives the success rate and latency percentiles of the last 24 h and 7 days', async () => {
    const s = await endpointStats('org_a', 'ep_1', { now: NOW });
    expect(s.day).toMatchObject({ attempts: 5, succeeded: 3, successRate: 0.6, p50: 25 });
    expect(s.day.p95).toBeCloseTo(38.5); // 10, 20, 30, 40 (the timeout has no latency)
    expect(s.week.attempts).toBe(7);
    expect(s.week.succeeded).toBe(5);
    expect(s.week.successRate).toBeCloseTo(5 / 7);
    expect(s.week.p50).toBe(35); // 10, 20, 30, 40, 100, 300 → (30 + 40) / 2
    expect(s.week.p95).toBeCloseTo(250);
  });

  it('splits the figures into 24 hourly and 7 daily bars, oldest first, empty ones included', async () => {
    const s = await endpointStats('org_a', 'ep_1', { now: NOW });
    expect(s.hourly).toHaveLength(24);
    expect(s.hourly[23]!.start.toISOString()).toBe('2025-03-10T12:00:00.000Z');
    expect(s.hourly[23]).toMatchObject({ attempts: 1, succeeded: 1, p50: 10 }); // 12:25
    expect(s.hourly[22]).toMatchObject({ attempts: 1, succeeded: 1 }); // 11:25
    expect(s.hourly[0]!.attempts).toBe(0);
    expect(s.hourly[0]!.successRate).toBeNull();
    expect(s.hourly.reduce((n, b) => n + b.attempts, 0)).toBe(5);
    expect(s.daily).toHaveLength(7);
    expect(s.daily[6]!.start.toISOString()).toBe('2025-03-10T00:00:00.000Z');
    expect(s.daily[6]!.attempts).toBe(5);
    expect(s.daily[4]).toMatchObject({ attempts: 2, succeeded: 2, successRate: 1 });
  });

  it('is scoped to the organization: another org cannot read an endpoint by id', async () => {
    const s = await endpointStats('org_b', 'ep_1', { now: NOW });
    expect(s.day.attempts).toBe(0);
    expect(s.day.successRate).toBeNull();
    expect(s.day.p50).toBeNull();
  });

  it('counts an attempt that never got a result as a failure once it is stale', async () => {
    const at = minutesAgo(30);
    const eventId = newId('evt', at.getTime());
    await h.db.insert(events).values({ id: eventId, orgId: 'org_a', type: 'compound.created', data: '{}' });
    await h.db.insert(deliveries).values({ id: 'dlv_lost', orgId: 'org_a', eventId, endpointId: 'ep_2', eventType: 'compound.created', status: 'delivering', attempts: 1 });
    await h.db.insert(attempts).values({ id: 'att_lost', orgId: 'org_a', deliveryId: 'dlv_lost', number: 1, startedAt: at });
    await h.db.insert(attempts).values({ id: 'att_now', orgId: 'org_a', deliveryId: 'dlv_lost', number: 2, startedAt: minutesAgo(1) });
    const s = await endpointStats('org_a', 'ep_2', { now: NOW });
    expect(s.day).toMatchObject({ attempts: 3, succeeded: 2, p50: 50 });
  });
});

describe('endpointSuccessRates', () => {
  it("maps each endpoint to its 24 h success rate, null without attempts, other orgs' endpoints null", async () => {
    const rates = await endpointSuccessRates('org_a', ['ep_1', 'ep_idle', 'ep_b'], { now: NOW });
    expect(rates.get('ep_1')).toBeCloseTo(0.6);
    expect(rates.get('ep_idle')).toBeNull();
    expect(rates.get('ep_b')).toBeNull();
    expect(await endpointSuccessRates('org_a', [])).toEqual(new Map());
  });
});

describe('countInFlight', () => {
  it('counts pending and delivering deliveries of the endpoint in the organization', async () => {
    expect(await countInFlight('org_a', 'ep_2')).toBe(1);
    expect(await countInFlight('org_b', 'ep_2')).toBe(0);
    expect(await countInFlight('org_a', 'ep_1')).toBe(0);
  });
});
