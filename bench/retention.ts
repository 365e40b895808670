// `npx tsx bench/retention.ts [deliveries]`: how long the retention purge takes on PostgreSQL (TEST_PG_URL) for a
// history of N old finished deliveries (2 attempts each, one event per delivery) beside 1,000 pending ones, and the
// longest single statement (what bounds the locks it holds). Makes and drops a database of its own.
import { sql } from 'drizzle-orm';
import { createTestDb } from '@/test/db';
import { newId } from '@/db/ids';
import { queryRows } from '@/db/client';
import { purgeExpired } from '@/lib/delivery/retention';
import { makeOrg } from '@/test/factories';
import { addEndpoint } from '@/test/delivery';

const N = Number(process.argv[2] ?? 100_000);
const DAY = 86_400_000;

async function main() {
  const h = await createTestDb('postgres');
  try {
    const { orgId } = await makeOrg(h.db, []);
    const ep = await addEndpoint(h.db, orgId, 'https://127.0.0.1:9/hook');
    const old = new Date(Date.now() - 40 * DAY);
    const id = (prefix: string) => newId(prefix, old.getTime()).slice(0, 14);
    const t0 = Date.now();
    await h.db.execute(sql`insert into events (id, org_id, type, data, created_at)
      select ${id('evt')} || lpad(g::text, 12, '0'), ${orgId}, 'compound.created', '{"id":"c-1"}', ${old.toISOString()}::timestamptz
      from generate_series(1, ${N + 1000}) g`);
    await h.db.execute(sql`insert into deliveries (id, org_id, event_id, endpoint_id, event_type, status, attempts, last_attempt_at, next_attempt_at, created_at)
      select ${id('dlv')} || lpad(g::text, 12, '0'), ${orgId}, ${id('evt')} || lpad(g::text, 12, '0'), ${ep.id}, 'compound.created',
        case when g > ${N} then 'pending' when g % 3 = 0 then 'failed' else 'succeeded' end, 2,
        ${old.toISOString()}::timestamptz, case when g > ${N} then ${old.toISOString()}::timestamptz end, ${old.toISOString()}::timestamptz
      from generate_series(1, ${N + 1000}) g`);
    await h.db.execute(sql`insert into attempts (id, org_id, delivery_id, number, started_at)
      select 'att_' || d.id || '_' || n, d.org_id, d.id, n, d.created_at from deliveries d cross join generate_series(1, 2) n
      where d.status <> 'pending'`);
    await h.db.execute(sql`analyze`);
    console.log(`history: ${N} finished deliveries (${2 * N} attempts) + 1,000 pending, 40 days old; made in ${Date.now() - t0} ms`);

    let longest = 0;
    let statements = 0;
    const start = Date.now();
    for (;;) {
      const s = Date.now();
      const r = await purgeExpired(h.db, { days: 30, budgetMs: 0 }); // one statement per phase per call
      longest = Math.max(longest, Date.now() - s);
      statements += 2;
      if (r.deliveries === 0 && r.events === 0) break;
    }
    const ms = Date.now() - start;
    const [left] = await queryRows<{ d: number; e: number; a: number }>(h.db, sql`select (select count(*) from deliveries)::int as d, (select count(*) from events)::int as e, (select count(*) from attempts)::int as a`);
    console.log(`purge: ${ms} ms in ~${statements} statements (batches of 1,000), longest call ${longest} ms (one delivery batch + one event batch)`);
    console.log(`left: ${left!.d} deliveries (the pending ones), ${left!.e} events, ${left!.a} attempts`);
  } finally {
    await h.close();
  }
}

void main();
