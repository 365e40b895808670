// The REST API's front door, measured side by side in one run, in server mode as a user runs it.
// Run: npm run bench:api   (needs PostgreSQL on 127.0.0.1:5432 with trust auth, as the tests, and a build: it serves
// through scripts/start.ts, which builds into NEXT_DIST_DIR (.next) when there is none; about 90 s once built).
// Makes and drops its own database. The product runs as `WEBHOOK_WORKER=off npm start` plus two `npm run worker`
// (started as the commands npm would run, without npm between, so that their RSS is theirs and not npm's).
// The user and the admin API key are made through lib/ before the server starts (sign-up is a browser form); the
// endpoint is created through the API. Ports: 3132 (product), 3133 (bare node:http), 127.0.0.1 only.
// Prints: a bare node:http JSON server's rate (same body, 16 clients), POST /events rate and ratio, batch events/s
// (batches of 100, one subscribed endpoint), publish → arrival p50/p99 at 100 and 1,000 events/s, RSS of the API and
// worker processes, and the CPU each process used in each rate phase. BENCH_PROFILE=1 also writes CPU profiles of the
// API and worker processes into .test-data/prof/ (BENCH_RATES_ONLY=1 skips the latency phases).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { runWithTestCa } from './run-with-test-ca';
import { npmScriptArgs } from '@/test/npm-script';

const API_PORT = 3132;
const BARE_PORT = 3133;
const CLIENTS = 16;
const SECONDS = 5;
const BATCH = 100;
const ENDPOINT_CONCURRENCY = 50;
const started = Date.now();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;
const data = (i: number) => ({ id: `compound-${i}`, name: 'Aspirin', category: 'analgesic', efficacy: 0.92 });
const BODY = JSON.stringify({ type: 'compound.created', data: data(1) });

// The receiver process: the harness's HTTPS receiver, reporting each webhook-id's arrival time to the parent.
async function receiverMain(): Promise<void> {
  const { reportingReceiverMain } = await import('@/test/receiver');
  await reportingReceiverMain((req): [string, number] | undefined => {
    const id = req.headers['webhook-id'];
    return typeof id === 'string' ? [id, req.at] : undefined;
  });
}

// The bare server: parses the same JSON body and answers 202 with a body of the same shape.
function bareMain(): void {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string };
      res.writeHead(202, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ id: `evt_${body.type.length}`, deliveries: 1 }));
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(BARE_PORT, '127.0.0.1', () => process.send!({ ready: true }));
  process.on('disconnect', () => process.exit(0));
}

// `clients` keep-alive connections each sending requests back to back for `seconds`: requests per second.
async function rate(origin: string, pathName: string, headers: Record<string, string>, body: (i: number) => string, seconds: number, clients = CLIENTS, probe?: () => Promise<Probe>, expect = 202) {
  const pool = new Pool(origin, { connections: clients, pipelining: 1 });
  let n = 0;
  let bad = 0;
  let done = 0;
  const run = async (ms: number) => {
    done = 0;
    const t0 = Date.now();
    const deadline = t0 + ms;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (Date.now() < deadline) {
          const r = await pool.request({ path: pathName, method: 'POST', headers, body: body(n++) });
          await r.body.dump();
          if (r.statusCode !== expect) bad++;
          done++;
        }
      }),
    );
    return (done * 1000) / (Date.now() - t0);
  };
  await run(500); // connections opened, code warmed
  const before = await probe?.();
  const t0 = Date.now();
  const perSecond = await run(seconds * 1000);
  const after = await probe?.();
  const elapsed = (Date.now() - t0) / 1000;
  const used = before && after
    ? `${cpuDelta(before.cpu, after.cpu, elapsed)}; ${((after.xacts - before.xacts) / Math.max(1, done)).toFixed(2)} PostgreSQL transactions per request; ` +
      `${fmt((after.attempts - before.attempts) / elapsed)} attempts/s recorded meanwhile`
    : '';
  await pool.close();
  if (bad > 0) console.log(`  (${bad} answers were not ${expect})`);
  return { perSecond, cpu: used };
}

function rssMiB(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

// What a rate phase reads before and after: CPU seconds per group of processes, PostgreSQL transactions, and attempts
// recorded.
type Probe = { cpu: Record<string, number>; xacts: number; attempts: number };

// CPU seconds (user + system) used so far by each group of processes: the API, the workers, PostgreSQL (every process
// named postgres), the receiver, and this bench (the load clients).
function cpuSeconds(groups: Record<string, (number | undefined)[]>): Record<string, number> {
  const tick = 100; // USER_HZ on Linux
  const of = (pid: number | string) => {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(f[11]) + Number(f[12])) / tick;
    } catch {
      return 0;
    }
  };
  const out: Record<string, number> = {};
  for (const [name, pids] of Object.entries(groups)) out[name] = pids.reduce<number>((n, p) => n + (p ? of(p) : 0), 0);
  let pg = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres') pg += of(d);
    } catch {
      // gone meanwhile
    }
  }
  out.postgres = pg;
  out.bench = of(process.pid);
  return out;
}

function cpuDelta(a: Record<string, number>, b: Record<string, number>, seconds: number): string {
  return Object.keys(b).map((k) => `${k} ${(((b[k]! - (a[k] ?? 0)) / seconds) * 100).toFixed(0)}%`).join(', ');
}

function spawnNode(script: string, env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function waitForOutput(child: ChildProcess, pattern: RegExp, what: string, ms = 300_000): Promise<void> {
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start in ${ms / 1000} s:\n${out}`)), ms);
    const on = (b: Buffer) => {
      out += b;
      if (pattern.test(out)) (clearTimeout(timer), resolve());
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', (b: Buffer) => (out += b));
    child.on('exit', (code) => (clearTimeout(timer), reject(new Error(`${what} exited (${code}):\n${out}`))));
  });
}

async function main(): Promise<void> {
  const key = randomBytes(32).toString('base64');
  const auth = randomBytes(32).toString('base64');
  const admin = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `hookrelay_bench_api_${Date.now().toString(36)}`;
  const pgUrl = admin.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);
  const productEnv = {
    DATABASE_URL: pgUrl, AUTH_SECRET: auth, WEBHOOK_ENCRYPTION_KEY: key, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    HOST: '127.0.0.1', PORT: String(API_PORT), API_RATE_LIMIT_PER_MINUTE: '100000000', NEXT_TELEMETRY_DISABLED: '1',
    // the one endpoint takes 1,000 events/s: at the default 10 attempts in flight per worker and ~15 ms an attempt here,
    // the per-endpoint cap, not the engine, would set the pace
    WEBHOOK_ENDPOINT_CONCURRENCY: String(ENDPOINT_CONCURRENCY),
  };
  Object.assign(process.env, { WEBHOOK_ENCRYPTION_KEY: key, AUTH_SECRET: auth });
  const { openPostgres } = await import('@/db/client');
  const { setDbHandle } = await import('@/lib/db');
  const children: ChildProcess[] = [];
  const arrivals = new Map<string, number>();
  let db: Awaited<ReturnType<typeof openPostgres>> | undefined;
  const stop = async (c: ChildProcess) => {
    if (c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  try {
    const a = await openPostgres(admin, { max: 1, migrate: false });
    await a.pool!.query(`CREATE DATABASE ${dbName}`);
    await a.close();
    db = await openPostgres(pgUrl, { max: 4 });
    setDbHandle(db);
    const { signUpUser } = await import('@/lib/auth/users');
    const { createApiKey } = await import('@/lib/api/keys');
    const owner = await signUpUser({ email: `bench-${Date.now()}@example.com`, password: 'bench-password-1' });
    const { key: apiKey } = await createApiKey({ orgId: owner.orgId, id: owner.userId, label: 'bench', role: 'owner', kind: 'user' }, { name: 'Bench', role: 'admin' });

    const receiver = spawn(process.execPath, [...process.execArgv, process.argv[1]!, '--receiver'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(receiver);
    const rxUrl = await new Promise<string>((resolve) =>
      receiver.on('message', (m: { url?: string; arrivals?: [string, number][] }) => {
        if (m.url) resolve(m.url);
        for (const [id, at] of m.arrivals ?? []) if (!arrivals.has(id)) arrivals.set(id, at);
      }),
    );
    const bare = spawn(process.execPath, [...process.execArgv, process.argv[1]!, '--bare'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(bare);
    await new Promise((r) => bare.once('message', r));

    const profile = process.env.BENCH_PROFILE === '1' ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve('.test-data/prof')}`] : [];
    const api = spawnNode('scripts/start.ts', { ...productEnv, WEBHOOK_WORKER: 'off' }, profile);
    children.push(api);
    await waitForOutput(api, /Hookrelay listening/, 'the product (scripts/start.ts)');
    // `npm run worker`'s own command (package.json), started directly so that the RSS measured is the worker's
    const workers = Array.from({ length: Number(process.env.BENCH_WORKERS ?? 2) }, () =>
      spawn(process.execPath, [...profile, ...npmScriptArgs('worker')], { env: { ...process.env, ...productEnv }, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    children.push(...workers);
    await Promise.all(workers.map((w, i) => waitForOutput(w, /started/, `worker ${i + 1}`, 60_000)));

    const origin = `http://127.0.0.1:${API_PORT}`;
    const auth_ = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
    const made = await fetch(`${origin}/api/v1/endpoints`, { method: 'POST', headers: auth_, body: JSON.stringify({ url: rxUrl, eventTypes: ['compound.created'] }) });
    if (made.status !== 201) throw new Error(`creating the endpoint answered ${made.status}: ${await made.text()}`);
    console.log(`Hookrelay API bench — Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}`);
    console.log(`server mode: scripts/start.ts (WEBHOOK_WORKER=off) + 2 workers on a fresh PostgreSQL database; one endpoint (HTTPS receiver, own process), WEBHOOK_ENDPOINT_CONCURRENCY=${ENDPOINT_CONCURRENCY}`);
    let peak = { api: 0, workers: 0 };
    const sampler = setInterval(() => {
      peak = { api: Math.max(peak.api, rssMiB(api.pid)), workers: Math.max(peak.workers, ...workers.map((w) => rssMiB(w.pid))) };
    }, 200);

    const drain = async () => {
      const t0 = Date.now();
      for (;;) {
        const { rows } = await db!.pool!.query(`select count(*)::int as n from deliveries where status in ('pending', 'delivering')`);
        if (rows[0].n === 0 || Date.now() - t0 > 30_000) return { left: rows[0].n as number, ms: Date.now() - t0 };
        await sleep(250);
      }
    };

    // publish → arrival: paced publishes, each event's webhook-id timed from just before its request to its arrival
    const latency = async (perSecond: number, seconds: number, perRequest: number) => {
      const sent = new Map<string, number>();
      const pool = new Pool(origin, { connections: CLIENTS, pipelining: 1 });
      const requests = (perSecond * seconds) / perRequest;
      const t0 = Date.now() + 50;
      const pending: Promise<void>[] = [];
      for (let i = 0; i < requests; i++) {
        await sleep(t0 + (i * 1000 * perRequest) / perSecond - Date.now());
        const at = Date.now();
        const single = perRequest === 1;
        const body = single
          ? JSON.stringify({ type: 'compound.created', data: data(i) })
          : JSON.stringify({ events: Array.from({ length: perRequest }, (_, j) => ({ type: 'compound.created', data: data(i * perRequest + j) })) });
        pending.push(
          pool.request({ path: single ? '/api/v1/events' : '/api/v1/events/batch', method: 'POST', headers: auth_, body }).then(async (r) => {
            const answer = (await r.body.json()) as { id?: string; events?: { id: string }[] };
            for (const id of answer.id ? [answer.id] : (answer.events ?? []).map((e) => e.id)) sent.set(id, at);
          }),
        );
      }
      await Promise.all(pending);
      await pool.close();
      for (const deadline = Date.now() + 10_000; [...sent.keys()].some((id) => !arrivals.has(id)) && Date.now() < deadline; ) await sleep(20);
      const lat = [...sent].filter(([id]) => arrivals.has(id)).map(([id, at]) => arrivals.get(id)! - at);
      return { p50: pct(lat, 0.5), p99: pct(lat, 0.99), n: lat.length, lost: sent.size - lat.length };
    };
    if (process.env.BENCH_RATES_ONLY !== '1') {
      await latency(100, 1, 1); // warm-up, not counted: first connections, the schema's first compile, JIT
      await drain();
      const l100 = await latency(100, 5, 1);
      console.log(`publish → arrival at 100 events/s (single publishes): p50 ${l100.p50} ms, p99 ${l100.p99} ms (${l100.n} events${l100.lost ? `, ${l100.lost} not arrived in 10 s` : ''})`);
      await drain();
      const l1000 = await latency(1000, 3, 10);
      console.log(`publish → arrival at 1,000 events/s (batches of 10 every 10 ms): p50 ${l1000.p50} ms, p99 ${l1000.p99} ms (${l1000.n} events${l1000.lost ? `, ${l1000.lost} not arrived in 10 s` : ''})`);
      const { rows: causes } = await db.pool!.query(
        `select coalesce(failure_cause, case when response_status between 200 and 299 then 'ok' else 'no result' end) as cause, count(*)::int as n,
                round(avg(latency_ms)) as ms from attempts group by 1 order by 2 desc`,
      );
      console.log(`attempts so far: ${causes.map((c: { cause: string; n: number; ms: number }) => `${c.cause} ${c.n} (avg ${c.ms} ms)`).join(', ')}`);
    }
    await drain();
    const probe = async (): Promise<Probe> => {
      const { rows } = await db!.pool!.query(`select (select xact_commit + xact_rollback from pg_stat_database where datname = current_database()) as n,
        (select count(*) from attempts where finished_at is not null) as attempts`);
      const cpu = cpuSeconds({ api: [api.pid], workers: workers.map((w) => w.pid), bare: [bare.pid], receiver: [receiver.pid] });
      return { cpu, xacts: Number(rows[0].n), attempts: Number(rows[0].attempts) };
    };
    const bareRun = await rate(`http://127.0.0.1:${BARE_PORT}`, '/api/v1/events', { 'content-type': 'application/json' }, () => BODY, SECONDS, CLIENTS, probe);
    const bareRate = bareRun.perSecond;
    console.log(`\nbare node:http JSON server, ${CLIENTS} clients: ${fmt(bareRate)} req/s`);
    console.log(`  CPU (100% = one core): ${bareRun.cpu}`);
    const singleRun = await rate(origin, '/api/v1/events', auth_, (i) => JSON.stringify({ type: 'compound.created', data: data(i) }), SECONDS, CLIENTS, probe);
    const single = singleRun.perSecond;
    console.log(`POST /api/v1/events, ${CLIENTS} clients, ${workers.length > 0 ? 'workers delivering' : 'no workers'}: ${fmt(single)} events/s — ratio to bare ${(single / bareRate).toFixed(2)}`);
    console.log(`  CPU (100% = one core): ${singleRun.cpu}`);
    const batchBody = (i: number) => JSON.stringify({ events: Array.from({ length: BATCH }, (_, j) => ({ type: 'compound.created', data: data(i * BATCH + j) })) });
    const batchRun = await rate(origin, '/api/v1/events/batch', auth_, batchBody, SECONDS, 4, probe);
    console.log(`POST /api/v1/events/batch, batches of ${BATCH}, 4 clients: ${fmt(batchRun.perSecond * BATCH)} events/s`);
    console.log(`  CPU (100% = one core): ${batchRun.cpu}`);

    clearInterval(sampler);
    console.log(`\npeak RSS: API process (scripts/start.ts: API + Next) ${peak.api.toFixed(0)} MiB; worker processes ${peak.workers.toFixed(0)} MiB (the larger of the two)`);
    console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    for (const c of children.reverse()) await stop(c);
    await db?.close().catch(() => {});
    const a = await openPostgres(admin, { max: 1, migrate: false });
    await a.pool!.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    await a.close();
  }
}

if (process.argv.includes('--receiver')) {
  void receiverMain();
} else if (process.argv.includes('--bare')) {
  bareMain();
} else {
  void runWithTestCa(main);
}
