import { sql, type SQL } from 'drizzle-orm';
import { getDb } from '../../db/client';

// Success rate and latency of one window of attempts; rates are 0–1, latencies in ms, null when there were no attempts.
export type WindowStats = { attempts: number; succeeded: number; successRate: number | null; p50: number | null; p95: number | null };
// One bar of the chart: an hour (24 h view) or a UTC day (7 d view), starting at `start`.
export type StatsBucket = WindowStats & { start: Date };
export type EndpointStats = { day: WindowStats; week: WindowStats; hourly: StatsBucket[]; daily: StatsBucket[]; now: Date };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// An attempt still without a result this long after it started has lost its worker: it counts as a failure.
const STALE_ATTEMPT = sql`interval '5 minutes'`;

// The rows of a raw query, on PGlite and node-postgres alike.
async function rows<T>(query: SQL): Promise<T[]> {
  const db = await getDb();
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

type Row = { bucket?: string | Date | null; endpoint_id?: string; attempts: number; succeeded: number; p50: number | null; p95: number | null };

// The attempts of an organization's endpoint(s) that started since `since`, with a result (or long lost), as aggregates.
function aggregate(orgId: string, endpointFilter: SQL, since: Date, now: Date, groupBy?: SQL): SQL {
  const select = groupBy ? sql`${groupBy} as bucket,` : sql``;
  const tail = groupBy ? sql`group by 1 order by 1` : sql``;
  return sql`
    select ${select}
      count(*)::int as attempts,
      (count(*) filter (where a.response_status between 200 and 299))::int as succeeded,
      (percentile_cont(0.5) within group (order by a.latency_ms))::float8 as p50,
      (percentile_cont(0.95) within group (order by a.latency_ms))::float8 as p95
    from attempts a
    join deliveries d on d.id = a.delivery_id and d.org_id = a.org_id
    where a.org_id = ${orgId} and ${endpointFilter}
      and a.started_at >= ${since.toISOString()}::timestamptz and a.started_at <= ${now.toISOString()}::timestamptz
      and (a.finished_at is not null or a.started_at < ${now.toISOString()}::timestamptz - ${STALE_ATTEMPT})
    ${tail}`;
}

function toWindow(r: Row | undefined): WindowStats {
  const attempts = Number(r?.attempts ?? 0);
  const succeeded = Number(r?.succeeded ?? 0);
  return {
    attempts,
    succeeded,
    successRate: attempts > 0 ? succeeded / attempts : null,
    p50: r?.p50 == null ? null : Number(r.p50),
    p95: r?.p95 == null ? null : Number(r.p95),
  };
}

// Every bucket from `first` on, `step` ms apart, `count` of them, filled from the rows (empty buckets have no attempts).
function fill(rows: Row[], first: number, step: number, count: number): StatsBucket[] {
  const byStart = new Map(rows.map((r) => [new Date(r.bucket as string).getTime(), r]));
  return Array.from({ length: count }, (_, i) => {
    const start = first + i * step;
    return { start: new Date(start), ...toWindow(byStart.get(start)) };
  });
}

// An endpoint's success rate and latency p50/p95 over the last 24 h and 7 days, with hourly and daily bars.
export async function endpointStats(orgId: string, endpointId: string, opts: { now?: Date } = {}): Promise<EndpointStats> {
  const now = opts.now ?? new Date();
  const ep = sql`d.endpoint_id = ${endpointId}`;
  const firstHour = Math.floor(now.getTime() / HOUR) * HOUR - 23 * HOUR;
  const firstDay = Math.floor(now.getTime() / DAY) * DAY - 6 * DAY;
  const hourBucket = sql`date_trunc('hour', a.started_at at time zone 'UTC') at time zone 'UTC'`;
  const dayBucket = sql`date_trunc('day', a.started_at at time zone 'UTC') at time zone 'UTC'`;
  const [day, week, hourly, daily] = await Promise.all([
    rows<Row>(aggregate(orgId, ep, new Date(now.getTime() - DAY), now)),
    rows<Row>(aggregate(orgId, ep, new Date(now.getTime() - 7 * DAY), now)),
    rows<Row>(aggregate(orgId, ep, new Date(firstHour), now, hourBucket)),
    rows<Row>(aggregate(orgId, ep, new Date(firstDay), now, dayBucket)),
  ]);
  return {
    now,
    day: toWindow(day[0]),
    week: toWindow(week[0]),
    hourly: fill(hourly, firstHour, HOUR, 24),
    daily: fill(daily, firstDay, DAY, 7),
  };
}

// Each endpoint's success rate over the last 24 h (null when it had no attempts), for the endpoint list.
export async function endpointSuccessRates(orgId: string, endpointIds: string[], opts: { now?: Date } = {}): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>(endpointIds.map((id) => [id, null]));
  if (endpointIds.length === 0) return out;
  const now = opts.now ?? new Date();
  const ids = sql.join(endpointIds.map((id) => sql`${id}`), sql`, `);
  const found = await rows<Row>(aggregate(orgId, sql`d.endpoint_id in (${ids})`, new Date(now.getTime() - DAY), now, sql`d.endpoint_id`));
  for (const row of found) {
    const id = String(row.bucket);
    if (out.has(id)) out.set(id, toWindow(row).successRate);
  }
  return out;
}

// How many of an endpoint's deliveries are still waiting to be sent (pending or delivering), counted up to `cap`.
export async function countInFlight(orgId: string, endpointId: string, cap = 10_000): Promise<number> {
  const [r] = await rows<{ n: number }>(sql`
    select count(*)::int as n from (
      select 1 from deliveries
      where org_id = ${orgId} and endpoint_id = ${endpointId} and status in ('pending', 'delivering')
      limit ${cap}
    ) s`);
  return Number(r?.n ?? 0);
}
