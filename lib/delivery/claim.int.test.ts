import { describe, expect, it } from 'vitest';
import { useTestDb } from '@/test/suite';
import { testDbKind } from '@/test/db';
import { makeOrg, publisher } from '@/test/factories';
import { addEndpoint } from '@/test/delivery';
import { publishEvent } from '@/lib/webhooks/events';
import { claimDue, type ClaimOptions } from './claim';
import { EndpointGates } from './fairness';

const compound = { id: 'compound-1', name: 'Aspirin', category: 'analgesic', efficacy: 0.92 };

// A claim as one worker makes it, with no attempt under way anywhere (every gate open).
const options = (owner: string, limit: number): ClaimOptions => ({
  owner, limit, cap: 10, orgCap: 100, leaseMs: 60_000, now: Date.now(), gates: new EndpointGates(10, Date.now, 100).snapshot(),
});

describe('claimDue: more', () => {
  const h = useTestDb();

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
