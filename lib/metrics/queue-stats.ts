import { sql } from 'drizzle-orm';
import { queryRows } from '@/db/client';
import { getDbHandle } from '@/lib/db';

// Counted up to this many due deliveries, so a scrape stays cheap however long the queue gets.
export const QUEUE_COUNT_CAP = 100_000;
const ORG_CAP = 10_000;
const QUERY_TIMEOUT_MS = 2000;

// The queue as Prometheus sees it: deliveries due now (capped) and how long the oldest of them has waited
// past its due time, in seconds (0 when none is due). One query, bounded (100,000 rows counted, 10,000 organizations
// looked at) and given 2 s (PostgreSQL cancels it then); rejects when the database does not answer in time.
export async function readQueueStats(now = Date.now()): Promise<{ depth: number; oldestAge: number }> {
  const handle = await getDbHandle();
  const at = new Date(now).toISOString();
  // depth: due rows of the queue table counted up to the cap (pending and due, or under a lease that expired);
  // oldest: each organization's earliest queued row (the queue's due index leads with org_id, so a loose scan over
  // organizations reads one index entry per organization, up to ORG_CAP of them)
  const query = sql`
    with recursive orgs as (
      (select org_id from delivery_queue order by org_id limit 1)
      union all
      select (select q.org_id from delivery_queue q where q.org_id > orgs.org_id order by q.org_id limit 1)
      from orgs where orgs.org_id is not null
    ), firsts as (
      select (select q.due_at from delivery_queue q where q.org_id = orgs.org_id order by q.due_at limit 1) as first
      from orgs where orgs.org_id is not null limit ${ORG_CAP}
    )
    select
      (select count(*)::int from (
        select 1 from delivery_queue where due_at <= ${at}::timestamptz limit ${QUEUE_COUNT_CAP}
      ) due) as depth,
      (select min(first) from firsts where first <= ${at}::timestamptz) as oldest`;
  const read =
    handle.kind === 'postgres'
      ? handle.db.transaction(async (tx) => {
          await tx.execute(sql.raw(`set local statement_timeout = ${QUERY_TIMEOUT_MS}`));
          return queryRows<{ depth: number; oldest: string | Date | null }>(tx, query);
        })
      : queryRows<{ depth: number; oldest: string | Date | null }>(handle.db, query);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`queue statistics took over ${QUERY_TIMEOUT_MS} ms`)), QUERY_TIMEOUT_MS + 500);
  });
  try {
    const [row] = await Promise.race([read, timeout]);
    const oldest = row?.oldest ? new Date(row.oldest).getTime() : null;
    return { depth: Number(row?.depth ?? 0), oldestAge: oldest === null ? 0 : Math.max(0, (now - oldest) / 1000) };
  } finally {
    clearTimeout(timer);
  }
}
