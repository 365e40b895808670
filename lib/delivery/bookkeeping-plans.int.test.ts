import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@/db/client';
import { useTestDb } from '@/test/suite';
import { testDbKind } from '@/test/db';
import { makeOrg } from '@/test/factories';
import { addEndpoint } from '@/test/delivery';
import { openBookkeepingDb, type BookkeepingDb } from './bookkeeping-db';
import { claimDue, type ClaimOptions } from './claim';
import { writeResults } from './record';
import { EndpointGates } from './fairness';

const OWNER = 'wrk_plans';
const QUEUED = 3000;

const options = (limit: number): ClaimOptions => ({
  owner: OWNER, limit, cap: 50, orgCap: 100, leaseMs: 60_000, now: Date.now(), gates: new EndpointGates(50, Date.now, 100).snapshot(),
});

// Rows read so far from the hot tables by sequential scans, and the queue's rows read through its indexes, as the
// worker's own connection counts them (flushed first).
async function rowsRead(books: BookkeepingDb): Promise<Record<string, number>> {
  await books.db.execute(sql`select pg_stat_force_next_flush()`);
  const rows = await queryRows<{ relname: string; seq: string; idx: string }>(books.db, sql`
    select relname, coalesce(seq_tup_read, 0)::text as seq, coalesce(idx_tup_fetch, 0)::text as idx from pg_stat_user_tables
    where relname in ('delivery_queue', 'attempts', 'deliveries', 'events', 'endpoints')`);
  return Object.fromEntries(rows.flatMap((r) => [[r.relname, Number(r.seq)], ...(r.relname === 'delivery_queue' ? [['queue by index', Number(r.idx)]] : [])]));
}

// The worker's statements are prepared once per connection and their plans kept: made while the tables were nearly
// empty, they read the whole queue (and attempts) on every result write once it had grown (openBookkeepingDb).
describe.runIf(testDbKind() === 'postgres')("the worker's claims and result writes on a queue that grew after they were planned", () => {
  const h = useTestDb();

  it('look the queue, deliveries and attempts up by key rather than reading them whole', async () => {
    const books = await openBookkeepingDb(h, 1); // one connection: every statement planned and counted on it
    try {
      const { orgId } = await makeOrg(h.db, []);
      const ep = await addEndpoint(h.db, orgId, 'https://receiver.example/webhook');
      // planned on empty tables, past the five runs after which PostgreSQL keeps one generic plan
      for (let i = 0; i < 8; i++) {
        expect((await claimDue(books.db, options(50), books.query)).claimed).toHaveLength(0);
        await writeResults(books.db, OWNER, [], Date.now(), books.query);
      }
      // a backlog: QUEUED deliveries due in an hour, and 20 due now
      await h.db.execute(sql`
        insert into events (id, org_id, type, data, created_at)
        select 'evt_plan' || i, ${orgId}, 'compound.created', '{}', now() from generate_series(1, ${QUEUED + 20}::int) i`);
      await h.db.execute(sql`
        insert into deliveries (id, org_id, event_id, endpoint_id, event_type, status, next_attempt_at, created_at)
        select 'dlv_plan' || i, ${orgId}, 'evt_plan' || i, ${ep.id}, 'compound.created', 'pending',
          case when i <= 20 then now() - interval '1 second' else now() + interval '1 hour' end, now()
        from generate_series(1, ${QUEUED + 20}::int) i`);
      const before = await rowsRead(books);

      const { claimed } = await claimDue(books.db, options(50), books.query);
      expect(claimed).toHaveLength(20);
      const at = Date.now();
      const done = claimed.map((c, i) => ({
        claimed: c, request: null, startedAt: at, finishedAt: at + 1,
        result: i % 2 === 0 ? { ok: true, status: 200, latencyMs: 1 } : { ok: false, status: 500, latencyMs: 1 },
      }));
      await writeResults(books.db, OWNER, done, Date.now(), books.query);
      const after = await rowsRead(books);

      // the results landed: 10 delivered, 10 due again
      const states = await queryRows<{ status: string; n: number }>(h.db, sql`
        select status, count(*)::int as n from deliveries where id in (select json_array_elements_text(${JSON.stringify(claimed.map((c) => c.id))}::json))
        group by status order by status`);
      expect(states).toEqual([{ status: 'pending', n: 10 }, { status: 'succeeded', n: 10 }]);
      // …reading no table whole, sequentially or through an index (a full read of the queue is over 3,000 rows)
      const read = Object.fromEntries(Object.keys(after).map((t) => [t, after[t]! - (before[t] ?? 0)]));
      expect({ ...read, 'queue by index': read['queue by index']! < 200 }).toEqual({
        delivery_queue: 0, attempts: 0, deliveries: 0, events: 0, endpoints: 0, 'queue by index': true,
      });
    } finally {
      await books.close();
    }
  }, 60_000);
});
