import { describe, expect, it } from 'vitest';
import { useTestDb } from '@/test/suite';
import { testDbKind } from '@/test/db';
import { makeOrg, publisher } from '@/test/factories';
import { addEndpoint } from '@/test/delivery';
import { publishEvent } from '@/lib/webhooks/events';
import { sql } from 'drizzle-orm';
import { queryRows } from '@/db/client';
import { getDelivery } from '@/lib/webhooks/deliveries';
import { claimDue, type ClaimOptions, type Claimed } from './claim';
import { writeResults } from './record';
import type { Finished } from './attempt';
import { EndpointGates } from './fairness';

const compound = { id: 'compound-1', name: 'Aspirin', category: 'analgesic', efficacy: 0.92 };

// A claim as one worker makes it, with no attempt under way anywhere (every gate open).
const options = (owner: string, limit: number): ClaimOptions => ({
  owner, limit, cap: 10, orgCap: 100, leaseMs: 60_000, now: Date.now(), gates: new EndpointGates(10, Date.now, 100).snapshot(),
});

const h = useTestDb();

describe('claimDue: more', () => {
  it('says "more" when its limit left behind due work the gates allowed, and not once it took all', async () => {
    // the limit is shared round-robin over organizations: two with 3 due each, a limit of 2, leaves 4 allowed behind
    for (const _ of [1, 2]) {
      const { orgId } = await makeOrg(h.db, []);
      await addEndpoint(h.db, orgId, 'https://receiver.example/webhook');
      for (let i = 0; i < 3; i++) await publishEvent(publisher(orgId), 'compound.created', compound);
    }
    const first = await claimDue(h.db, options('wrk_a', 2));
    expect(first.claimed).toHaveLength(2);
    expect(new Set(first.claimed.map((c) => c.orgId)).size).toBe(2);
    expect(first.more).toBe(true);
    const rest = await claimDue(h.db, options('wrk_a', 10));
    expect(rest.claimed).toHaveLength(4);
    expect(rest.more).toBe(false);
  }, 30_000);

  // Two workers woken by one NOTIFY: the one whose rows the other locked first must not claim again at once.
  it.runIf(testDbKind() === 'postgres')('does not say "more" for due rows another worker holds locked', async () => {
    const { orgId } = await makeOrg(h.db, []);
    await addEndpoint(h.db, orgId, 'https://receiver.example/webhook');
    for (let i = 0; i < 3; i++) await publishEvent(publisher(orgId), 'compound.created', compound);
    const other = await h.pool!.connect();
    try {
      await other.query('begin');
      const locked = await other.query(`select delivery_id from delivery_queue where org_id = $1 for update`, [orgId]);
      expect(locked.rowCount).toBe(3);
      const lost = await claimDue(h.db, options('wrk_b', 10));
      expect(lost.claimed).toHaveLength(0);
      expect(lost.more).toBe(false);
    } finally {
      await other.query('rollback');
      other.release();
    }
    const won = await claimDue(h.db, options('wrk_b', 10));
    expect(won.claimed).toHaveLength(3);
  }, 30_000);
});

describe('attempt rows', () => {
  const rowsOf = (deliveryId: string) =>
    queryRows<{ number: number; finished: boolean; status: number | null; started_at: string }>(h.db, sql`
      select number, finished_at is not null as finished, response_status as status, started_at::text from attempts
      where delivery_id = ${deliveryId} order by number`);
  const result = (c: Claimed, status: number, at: number): Finished => ({
    claimed: c, request: null, startedAt: at, finishedAt: at + 5, result: { ok: status < 300, status, latencyMs: 5 },
  });

  it('are written with their result; a lease that ran out leaves its attempt recorded without one, which a late result fills in', async () => {
    const { orgId } = await makeOrg(h.db, []);
    await addEndpoint(h.db, orgId, 'https://receiver.example/webhook');
    await publishEvent(publisher(orgId), 'compound.created', compound);
    const t0 = Date.now();
    const [first] = (await claimDue(h.db, { ...options('wrk_a', 10), now: t0, leaseMs: 1000 })).claimed;
    expect(first).toMatchObject({ attempt: 1 });
    expect(await rowsOf(first!.id)).toEqual([]); // under way: no row yet (the delivery page shows it from the lease)

    // wrk_a's lease runs out; wrk_b claims the delivery again: attempt 1 is recorded as started, without a result
    const [second] = (await claimDue(h.db, { ...options('wrk_b', 10), now: t0 + 1001, leaseMs: 1000 })).claimed;
    expect(second).toMatchObject({ id: first!.id, attempt: 2 });
    const lost = await rowsOf(first!.id);
    expect(lost.map(({ number, finished, status }) => ({ number, finished, status }))).toEqual([{ number: 1, finished: false, status: null }]);
    expect(Math.abs(new Date(lost[0]!.started_at).getTime() - t0)).toBeLessThan(5); // when wrk_a's lease began (its end - the lease)

    // wrk_a's result arrives late: its attempt's row gets it, the delivery (wrk_b's now) is left alone
    await writeResults(h.db, 'wrk_a', [result(first!, 503, t0)], t0 + 1100);
    expect((await rowsOf(first!.id)).map((r) => [r.number, r.finished, r.status])).toEqual([[1, true, 503]]);
    expect((await getDelivery(orgId, first!.id)).delivery).toMatchObject({ status: 'delivering', attempts: 2 });

    await writeResults(h.db, 'wrk_b', [result(second!, 200, t0 + 1001)], t0 + 1100);
    expect((await rowsOf(first!.id)).map((r) => [r.number, r.finished, r.status])).toEqual([[1, true, 503], [2, true, 200]]);
    expect((await getDelivery(orgId, first!.id)).delivery).toMatchObject({ status: 'succeeded', attempts: 2 });
  }, 30_000);
});
