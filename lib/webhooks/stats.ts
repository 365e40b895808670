import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '@/db/client';
import { getDb } from '@/lib/db';

// Success rate and latency of one window of attempts; rates are 0–1, latencies in ms, null when there were no attempts.
export type WindowStats = { attempts: number; succeeded: number; successRate: number | null; p50: number | null; p95: number | null };
// One bar of the chart: an hour (24 h view) or a UTC day (7 d view), starting at `start`.
export type StatsBucket = WindowStats & { start: Date };
export type EndpointStats = { day: WindowStats; week: WindowStats; hourly: StatsBucket[]; daily: StatsBucket[]; now: Date };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// An attempt still without a result this long after it started has lost its worker: it counts as a failure.
const STALE_ATTEMPT = sql`interval '5 minutes'`;

type Row = { kind?: string; bucket?: string | Date | null; attempts: number; succeeded: number; p50: number | null; p95: number | null };

const AGGREGATES = sql`
  count(*)::int as attempts,
  (count(*) filter (where response_status between 200 and 299))::int as succeeded,
  (percentile_cont(0.5) within group (order by latency_ms))::float8 as p50,
  (percentile_cont(0.95) within group (order by latency_ms))::float8 as p95`;

// The attempts of an organization's endpoint(s) that started in [since, now], with a result (or long lost).
// Scoped by the attempt's org_id (an attempt's org is its delivery's), so the deliveries side can be read from the
// (endpoint_id, id) index alone.
function windowAttempts(orgId: string, endpointFilter: SQL, since: Date, now: Date): SQL {
  const end = sql`${now.toISOString()}::timestamptz`;
  return sql`
    select a.started_at, a.response_status, a.latency_ms, d.endpoint_id
    from attempts a
    join deliveries d on d.id = a.delivery_id
    where a.org_id = ${orgId} and ${endpointFilter}
      and a.started_at >= ${since.toISOString()}::timestamptz and a.started_at <= ${end}
      and (a.finished_at is not null or a.started_at < ${end} - ${STALE_ATTEMPT})`;
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

// An endpoint's success rate and latency p50/p95 over the last 24 h and 7 days, with hourly and daily bars: one
// pass over the week's attempts, aggregated four ways.
export async function endpointStats(orgId: string, endpointId: string, opts: { now?: Date } = {}): Promise<EndpointStats> {
  const now = opts.now ?? new Date();
  const firstHour = Math.floor(now.getTime() / HOUR) * HOUR - 23 * HOUR;
  const firstDay = Math.floor(now.getTime() / DAY) * DAY - 6 * DAY;
  const at = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;
  const truncate = (unit: 'hour' | 'day') => sql.raw(`date_trunc('${unit}', started_at at time zone 'UTC') at time zone 'UTC'`);
  const found = await queryRows<Row>(await getDb(), sql`
    with w as materialized (${windowAttempts(orgId, sql`d.endpoint_id = ${endpointId}`, new Date(now.getTime() - 7 * DAY), now)})
    select 'day' as kind, null::timestamptz as bucket, ${AGGREGATES} from w where started_at >= ${at(now.getTime() - DAY)}
    union all
    select 'week', null::timestamptz, ${AGGREGATES} from w
    union all
    select 'hour', ${truncate('hour')}, ${AGGREGATES} from w where started_at >= ${at(firstHour)} group by 2
    union all
    select 'daily', ${truncate('day')}, ${AGGREGATES} from w where started_at >= ${at(firstDay)} group by 2`);
  const of = (kind: string) => found.filter((r) => r.kind === kind);
  return {
    now,
    day: toWindow(of('day')[0]),
    week: toWindow(of('week')[0]),
    hourly: fill(of('hour'), firstHour, HOUR, 24),
    daily: fill(of('daily'), firstDay, DAY, 7),
  };
}

// Each endpoint's success rate over the last 24 h (null when it had no attempts), for the endpoint list.
export async function endpointSuccessRates(orgId: string, endpointIds: string[], opts: { now?: Date } = {}): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>(endpointIds.map((id) => [id, null]));
  if (endpointIds.length === 0) return out;
  const now = opts.now ?? new Date();
  const ids = sql.join(endpointIds.map((id) => sql`${id}`), sql`, `);
  const found = await queryRows<Row & { endpoint_id: string }>(await getDb(), sql`
    select endpoint_id, ${AGGREGATES}
    from (${windowAttempts(orgId, sql`d.endpoint_id in (${ids})`, new Date(now.getTime() - DAY), now)}) w
    group by endpoint_id`);
  for (const row of found) if (out.has(row.endpoint_id)) out.set(row.endpoint_id, toWindow(row).successRate);
  return out;
}

// How many of an endpoint's deliveries are still waiting to be sent (pending or delivering), counted up to `cap`.
export async function countInFlight(orgId: string, endpointId: string, cap = 10_000): Promise<number> {
  const [r] = await queryRows<{ n: number }>(await getDb(), sql`
    select count(*)::int as n from (
      select 1 from deliveries
      where org_id = ${orgId} and endpoint_id = ${endpointId} and status in ('pending', 'delivering')
      limit ${cap}
    ) s`);
  return Number(r?.n ?? 0);
}
