// The Deliveries page query (listDeliveries, exactly as it runs) on 1,000,000 deliveries: server execution time.
// Run: npx tsx bench/history.ts   (PostgreSQL at 127.0.0.1:5432, user postgres, trust; BENCH_PG_URL overrides;
// BENCH_DELIVERIES sets the size). Creates a throw-away database, migrates it, loads it with INSERT … SELECT
// generate_series, ANALYZEs, prints EXPLAIN ANALYZE execution times (median of RUNS) and drops the database.
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { openPostgres, type DbHandle } from '@/db/client';
import { setDbHandle } from '@/lib/db';

process.env.DATA_DIR ??= path.resolve('.test-data', 'bench-history'); // never ./data, should anything read the env
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TOTAL = Number(process.env.BENCH_DELIVERIES ?? 1_000_000);
const ENDPOINTS = 8; // of the measured organization; a second organization gets 2 more and a tenth of the rows
const DAYS = 30;
const RUNS = 9;
const TARGET_MS = 150;
const PAGE = 25; // the dashboard's page size (lib/webhooks/delivery-page.ts)

const TYPES = ['compound.created', 'investigation.updated', 'order.paid', 'order.refunded', 'user.created', 'invoice.overdue'];
// Cumulative shares of the types (order.refunded and invoice.overdue are rare).
const TYPE_CUTS = [40, 65, 85, 88, 99, 100];

// The Crockford base32 (db/ids.ts) digits of a bigint expression, most significant first, as SQL.
function b32(expr: string, digits: number): string {
  const parts = [];
  for (let i = digits - 1; i >= 0; i--) parts.push(`substr('0123456789abcdefghjkmnpqrstvwxyz', ((${expr} >> ${5 * i}) & 31)::int + 1, 1)`);
  return parts.join(' || ');
}
// An id like newId(prefix, ms): 10 time digits, then 16 digits made unique by the row number.
const idSql = (prefix: string, ms: string, n: string) => `'${prefix}_' || ${b32(ms, 10)} || '0000' || ${b32(n, 12)}`;

async function load(h: DbHandle): Promise<{ orgId: string; endpointIds: string[] }> {
  const q = (text: string) => h.pool!.query(text);
  const now = Date.now();
  const orgs = ['org_bench_main', 'org_bench_other'];
  await q(`insert into organizations (id, name) values ('${orgs[0]}', 'Bench'), ('${orgs[1]}', 'Other')`);
  const endpointIds = Array.from({ length: ENDPOINTS + 2 }, (_, i) => `ep_bench_${String(i).padStart(2, '0')}`);
  await q(`insert into endpoints (id, org_id, url, event_types) values ${endpointIds
    .map((id, i) => `('${id}', '${orgs[i < ENDPOINTS ? 0 : 1]}', 'https://hooks${i}.example.com/in', '["*"]')`)
    .join(', ')}`);

  // Load without secondary indexes and foreign-key triggers, then rebuild the migration's indexes as they were.
  const defs = (await h.pool!.query(`select indexname, indexdef from pg_indexes where schemaname = 'public'
    and tablename in ('events', 'deliveries', 'attempts') and indexname not like '%_pkey'`)).rows as { indexname: string; indexdef: string }[];
  for (const d of defs) await q(`drop index ${d.indexname}`);
  await q(`set session_replication_role = replica`);

  // Half as many events as deliveries: each goes to two endpoints of its organization. Times spread over DAYS days.
  const events = Math.ceil(TOTAL / 2);
  const span = DAYS * 86_400_000;
  // Independent pseudo-random draws per row (md5), so filters combine as they would on real traffic.
  const draw = (salt: string, mod: number) => `(('x' || substr(md5(n::text || '${salt}'), 1, 8))::bit(32)::bigint % ${mod})`;
  const typeCase = `case ${TYPE_CUTS.map((c, i) => `when ${draw('t', 100)} < ${c} then '${TYPES[i]}'`).join(' ')} end`;
  await q(`create unlogged table bench_events as
    select n, (${now} - ${span} + (n * ${span}) / ${events})::bigint as ms,
      case when n % 10 = 0 then '${orgs[1]}' else '${orgs[0]}' end as org_id, ${typeCase} as type
    from generate_series(1::bigint, ${events}) n`);
  await q(`insert into events (id, org_id, type, data, created_at)
    select ${idSql('evt', 'ms', 'n')}, org_id, type, '{"id":"obj_' || n || '","amount":' || (n % 997) || '}', to_timestamp(ms / 1000.0)
    from bench_events`);
  const epExpr = (k: number) => `case when org_id = '${orgs[1]}' then 'ep_bench_' || lpad((${ENDPOINTS} + (n + ${k}) % 2)::text, 2, '0')
    else 'ep_bench_' || lpad(((n * 3 + ${k} * 5) % ${ENDPOINTS})::text, 2, '0') end`;
  // Most deliveries succeeded; a few failed for good; the newest are still pending or delivering.
  const status = `case when ms > ${now - 120_000} then (case when d % 2 = 0 then 'pending' else 'delivering' end)
    when ${draw("s' || d::text || '", 1000)} < 70 then 'failed' when ${draw("s' || d::text || '", 1000)} < 75 then 'pending' else 'succeeded' end`;
  await q(`insert into deliveries (id, org_id, event_id, endpoint_id, event_type, status, attempts, schedule_step, next_attempt_at,
      last_status_code, last_latency_ms, last_attempt_at, created_at)
    select ${idSql('dlv', 'ms', 'n * 2 + d')}, org_id, ${idSql('evt', 'ms', 'n')}, ep, type, st,
      case when st = 'failed' then 8 when st = 'succeeded' then 1 + (n % 3 = 0)::int else 1 end, 0,
      case when st = 'pending' then to_timestamp(ms / 1000.0) + interval '5 minutes' end,
      case when st = 'succeeded' then 200 when st = 'failed' then 500 end, 20 + (n * 13) % 400,
      to_timestamp(ms / 1000.0) + interval '1 second', to_timestamp(ms / 1000.0)
    from (select n, ms, org_id, type, d, case when d = 0 then ${epExpr(0)} else ${epExpr(1)} end as ep, ${status} as st
          from bench_events, generate_series(0, 1) d) x
    where n * 2 + d - 1 <= ${TOTAL}`);
  // One attempt per delivery of the last 7 days, for the stats query.
  await q(`insert into attempts (id, org_id, delivery_id, number, started_at, finished_at, response_status, latency_ms, failure_cause)
    select 'att_' || substr(id, 5), org_id, id, 1, last_attempt_at, last_attempt_at + interval '50 ms', last_status_code, last_latency_ms,
      case when status = 'failed' then 'http_5xx' end
    from deliveries where created_at > now() - interval '7 days' and status in ('succeeded', 'failed')`);
  await q(`drop table bench_events`);
  await q(`set session_replication_role = origin`);
  for (const d of defs) await q(d.indexdef);
  await q(`vacuum analyze`);
  return { orgId: orgs[0], endpointIds: endpointIds.slice(0, ENDPOINTS) };
}

// Runs `fn` once while recording the SQL it sends, then EXPLAIN ANALYZEs that exact SQL RUNS times.
async function measure(h: DbHandle, fn: () => Promise<unknown>) {
  const pool = h.pool!;
  const original = pool.query.bind(pool) as (...a: unknown[]) => Promise<unknown>;
  const seen: { text: string; values: unknown[] }[] = [];
  (pool as unknown as { query: unknown }).query = (...args: unknown[]) => {
    const a = args[0] as string | { text: string; values?: unknown[] };
    const values = (typeof a === 'string' ? undefined : a.values) ?? (Array.isArray(args[1]) ? (args[1] as unknown[]) : []);
    seen.push({ text: typeof a === 'string' ? a : a.text, values });
    return original(...args);
  };
  try {
    await fn();
  } finally {
    (pool as unknown as { query: unknown }).query = original;
  }
  const main = seen.find((s) => /from "deliveries"/.test(s.text))!;
  const times: number[] = [];
  let plan = '';
  for (let i = 0; i < RUNS; i++) {
    const r = await pool.query(`explain (analyze, buffers, format json) ${main.text}`, main.values);
    const p = (r.rows[0] as Record<string, unknown>)['QUERY PLAN'] as { 'Execution Time': number; Plan: Record<string, unknown> }[];
    times.push(p[0]!['Execution Time']);
    if (i === 0) plan = summarize(p[0]!.Plan);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, plan };
}

// The plan's node types and index names, one line.
function summarize(node: Record<string, unknown>): string {
  const own = `${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''}`;
  const kids = (node.Plans as Record<string, unknown>[] | undefined) ?? [];
  return kids.length ? `${own}(${kids.map(summarize).join(', ')})` : own;
}

async function main() {
  const name = `hookrelay_bench_${randomBytes(4).toString('hex')}`;
  const admin = await openPostgres(ADMIN_URL, { max: 1, migrate: false });
  await admin.pool!.query(`create database ${name}`);
  const url = ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  let h: DbHandle | undefined;
  try {
    h = await openPostgres(url, { max: 4 });
    setDbHandle(h);
    const { listDeliveries } = await import('@/lib/webhooks/deliveries');
    const { endpointStats } = await import('@/lib/webhooks/stats');
    const t0 = performance.now();
    const { orgId, endpointIds } = await load(h);
    const counts = (await h.pool!.query(`select (select count(*) from deliveries)::int as d, (select count(*) from events)::int as e,
      (select count(*) from attempts)::int as a`)).rows[0] as { d: number; e: number; a: number };
    console.log(`loaded ${counts.d.toLocaleString('en-US')} deliveries, ${counts.e.toLocaleString('en-US')} events, ` +
      `${counts.a.toLocaleString('en-US')} attempts in ${((performance.now() - t0) / 1000).toFixed(1)} s (PostgreSQL, database ${name})`);

    const ep = endpointIds[3]!;
    // A cursor ~90% of the way down the organization's history, and down one endpoint's.
    const deep = async (where: string, rows: number) =>
      ((await h!.pool!.query(`select id from deliveries where org_id = $1 ${where} order by id desc offset $2 limit 1`,
        [orgId, Math.floor(rows * 0.9)])).rows[0] as { id: string }).id;
    const deepOrg = await deep('', counts.d * 0.9);
    const deepEp = await deep(`and endpoint_id = '${ep}'`, (counts.d * 0.9) / ENDPOINTS);
    const someEvent = ((await h.pool!.query(`select event_id from deliveries where org_id = $1 order by id limit 1 offset 1000`, [orgId])).rows[0] as { event_id: string }).event_id;
    const weekAgo = new Date(Date.now() - 7 * 86_400_000);
    const twoWeeksAgo = new Date(Date.now() - 14 * 86_400_000);

    const cases: [string, () => Promise<unknown>][] = [
      ['Events log, first page', () => listDeliveries(orgId, {}, null, PAGE)],
      ['Events log, failed + one event type', () => listDeliveries(orgId, { status: 'failed', eventType: 'order.paid' }, null, PAGE)],
      ['Events log, failed + rare event type', () => listDeliveries(orgId, { status: 'failed', eventType: 'order.refunded' }, null, PAGE)],
      ['Events log, pending + rare event type', () => listDeliveries(orgId, { status: 'pending', eventType: 'order.refunded' }, null, PAGE)],
      ['Events log, page deep in the cursor (~90%)', () => listDeliveries(orgId, {}, deepOrg, PAGE)],
      ['Events log, time range (7–14 days ago)', () => listDeliveries(orgId, { since: twoWeeksAgo, until: weekAgo }, null, PAGE)],
      ['Events log, search by event id', () => listDeliveries(orgId, { eventId: someEvent }, null, PAGE)],
      ['Endpoint page, first page', () => listDeliveries(orgId, { endpointId: ep }, null, PAGE)],
      ['Endpoint page, failed + one event type', () => listDeliveries(orgId, { endpointId: ep, status: 'failed', eventType: 'order.paid' }, null, PAGE)],
      ['Endpoint page, failed + rare event type', () => listDeliveries(orgId, { endpointId: ep, status: 'failed', eventType: 'order.refunded' }, null, PAGE)],
      ['Endpoint page, pending', () => listDeliveries(orgId, { endpointId: ep, status: 'pending' }, null, PAGE)],
      ['Endpoint page, page deep in the cursor (~90%)', () => listDeliveries(orgId, { endpointId: ep }, deepEp, PAGE)],
    ];
    console.log(`\nlistDeliveries, page of ${PAGE}: EXPLAIN ANALYZE execution time, median of ${RUNS} runs (target ≤ ${TARGET_MS} ms)`);
    let missed = 0;
    for (const [label, fn] of cases) {
      const { median, plan } = await measure(h, fn);
      const ok = median <= TARGET_MS;
      if (!ok) missed++;
      console.log(`  ${label.padEnd(48)} ${median.toFixed(2).padStart(8)} ms  ${ok ? 'ok  ' : 'SLOW'}  ${plan}`);
    }
    // Extra: the endpoint page's stats (four aggregates over attempts), wall time including the round trips.
    const st: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      await endpointStats(orgId, ep);
      st.push(performance.now() - s);
    }
    st.sort((a, b) => a - b);
    console.log(`\nendpointStats (24 h + 7 d, hourly + daily), wall time median of 5: ${st[2]!.toFixed(1)} ms`);
    console.log(missed === 0 ? `\nall ${cases.length} queries within ${TARGET_MS} ms` : `\n${missed} of ${cases.length} queries over ${TARGET_MS} ms`);
    process.exitCode = missed === 0 ? 0 : 1;
  } finally {
    await h?.close();
    if (process.env.BENCH_KEEP === '1') console.log(`kept database ${name} (BENCH_KEEP=1); drop it when done`);
    else {
      await admin.pool!.query(`drop database if exists ${name} with (force)`);
      console.log(`dropped database ${name}`);
    }
    await admin.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
