// Delivery engine throughput and latency through the product's REST API, against raw undici, in server mode
// (PostgreSQL, `npm start` with WEBHOOK_WORKER=off plus two `npm run worker`) and embedded mode (PGlite, `npm start`
// with its in-process worker).
// Run: npm run bench:delivery   (needs PostgreSQL on 127.0.0.1:5432 with trust auth, as the tests, and a build; ~3 min)
// Prints: the raw keep-alive POST rate to a local HTTPS receiver at the workers' concurrency; the end-to-end rate
// (POST /api/v1/events → signed POST → attempt recorded) and its ratio to raw; publish → arrival p50/p99 through the
// API at 100 and 1,000 events/s; the RSS of the worker and API processes. BENCH_PORT (default 3141) and the next one
// serve the product.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { runWithTestCa } from './run-with-test-ca';
import { npmScriptArgs } from '@/test/npm-script';
import { and, eq, sql } from 'drizzle-orm';

const ENDPOINTS = 50;
const CONNECTIONS_PER_ORIGIN = 32; // the sender's default pool per origin
const PG_WORKERS = 2;
const PUBLISHERS = 16; // concurrent API clients
const RAW_SECONDS = 2;
const PORT = Number(process.env.BENCH_PORT ?? 3141);
// BENCH_MODES=server or =embedded runs one of the two (default both).
const MODES = (process.env.BENCH_MODES ?? 'server,embedded').split(',');
const started = Date.now();

// First arrival time per webhook-id, and the distinct (webhook-id, path) pairs of the fan-out org.
type Arrivals = Map<string, number>;
const fanArrived = new Set<string>();

// The receiver process: the harness's HTTPS receiver, reporting each webhook-id's arrival time to the parent.
async function receiverMain(): Promise<void> {
  const { reportingReceiverMain } = await import('@/test/receiver');
  await reportingReceiverMain((req): [string, string, number] | undefined => {
    const id = req.headers['webhook-id'];
    return typeof id === 'string' && id !== 'raw' ? [id, req.path, req.at] : undefined;
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;

// Keep-alive POSTs of a signed-size body over `connections` connections for `seconds`: requests per second.
async function rawRate(url: string, connections: number, seconds: number, body: string, headers: Record<string, string>): Promise<number> {
  const u = new URL(url);
  const pool = new Pool(u.origin, { connections, pipelining: 1 });
  const run = async (ms: number) => {
    let done = 0;
    const deadline = Date.now() + ms;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (Date.now() < deadline) {
          const r = await pool.request({ path: u.pathname, method: 'POST', headers: { ...headers, 'webhook-id': 'raw' }, body });
          await r.body.dump();
          done++;
        }
      }),
    );
    return (done * 1000) / (Date.now() - t0);
  };
  await run(500); // connections opened and code warmed, as the workers' are
  const rate = await run(seconds * 1000);
  await pool.close();
  return rate;
}

// RSS (MiB) of a process and of its whole tree, read from /proc; peaks kept while sampling.
function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
// The process and its descendants, from /proc (no child process: sampling must not stall this one's event loop).
function treePids(pid: number): number[] {
  let kids: number[] = [];
  try {
    kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).map(Number).filter(Boolean);
  } catch {
    // gone, or no children
  }
  return [pid, ...kids.flatMap(treePids)];
}
class RssPeaks {
  peaks = new Map<string, number>();
  private timer = setInterval(() => this.sample(), 500);
  constructor(private readonly watch: () => [string, number][]) {}
  sample() {
    for (const [name, pid] of this.watch()) {
      const largest = Math.max(0, ...treePids(pid).map(rssMiB)); // the tree's largest process (node under npm/tsx)
      this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, largest));
    }
  }
  stop() {
    clearInterval(this.timer);
  }
}

// Seeds an org with the 50 endpoints (all subscribed to '*'), and one with 50 endpoints each on its own event type,
// with an admin API key each.
async function seed(rxUrl: string) {
  const { getDb } = await import('@/lib/db');
  const { eventTypes } = await import('@/db/schema');
  const { newId } = await import('@/db/ids');
  const { makeOrg } = await import('@/test/factories');
  const { addEndpoint } = await import('@/test/delivery');
  const { createApiKey } = await import('@/lib/api/keys');
  const db = await getDb();
  const fan = await makeOrg(db, ['owner']);
  const single = await makeOrg(db, ['owner']);
  await db.insert(eventTypes).values(
    Array.from({ length: ENDPOINTS }, (_, i) => ({ id: newId('et'), orgId: single.orgId, name: `bench.e${i}`, schema: { type: 'object' }, sample: {} })),
  );
  for (let i = 0; i < ENDPOINTS; i++) {
    await addEndpoint(db, fan.orgId, `${rxUrl}?fan=${i}`);
    await addEndpoint(db, single.orgId, `${rxUrl}?one=${i}`, { eventTypes: [`bench.e${i}`] });
  }
  const fanKey = (await createApiKey(fan.actors.owner, { name: 'bench', role: 'admin' })).key;
  const singleKey = (await createApiKey(single.actors.owner, { name: 'bench', role: 'admin' })).key;
  return { fan: fan.orgId, fanKey, singleKey };
}

// A client of the product's REST API: publishes one event (or a batch, when the server has POST /api/v1/events/batch).
class Api {
  private pool: Pool;
  batch = false;
  constructor(readonly origin: string) {
    this.pool = new Pool(origin, { connections: 64, pipelining: 1 });
  }
  // One publish; a keep-alive connection the server closed meanwhile is retried with the same Idempotency-Key.
  async publish(key: string, type: string, data: unknown): Promise<string> {
    const idem = randomBytes(12).toString('hex');
    const send = () =>
      this.pool.request({
        path: '/api/v1/events',
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': idem },
        body: JSON.stringify({ type, data }),
      });
    const r = await send().catch((err: { code?: string }) => {
      if (err?.code === 'UND_ERR_SOCKET' || err?.code === 'ECONNRESET') return send();
      throw err;
    });
    const text = await r.body.text();
    if (r.statusCode !== 202 && r.statusCode !== 200 && r.statusCode !== 201) throw new Error(`publish answered ${r.statusCode}: ${text.slice(0, 200)}`);
    return (JSON.parse(text) as { id: string }).id;
  }
  async publishBatch(key: string, events: { type: string; data: unknown }[]): Promise<string[]> {
    const r = await this.pool.request({
      path: '/api/v1/events/batch',
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    const text = await r.body.text();
    if (r.statusCode >= 300) throw new Error(`batch publish answered ${r.statusCode}: ${text.slice(0, 200)}`);
    return (JSON.parse(text) as { events: { id: string }[] }).events.map((e) => e.id);
  }
  // Whether the server has batch publish (a 404 or 405 to an empty batch says it has not).
  async probeBatch(key: string): Promise<boolean> {
    const r = await this.pool.request({ path: '/api/v1/events/batch', method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{"events":[]}' });
    await r.body.dump();
    return (this.batch = r.statusCode !== 404 && r.statusCode !== 405);
  }
  // Drops the connections, also those of publishes still waiting for a server that could not keep up.
  close() {
    return this.pool.destroy();
  }
}

// Starts `npm start` on `port` with `env`, and waits for /api/health.
async function startProduct(port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn('npm', ['start'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', API_RATE_LIMIT_PER_MINUTE: '100000000', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (r.ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('npm start did not answer /api/health');
    await sleep(300);
  }
}
function stopTree(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig); // the whole group: npm, tsx, next start, next-server
    } catch {
      child.kill(sig);
    }
  };
  signal('SIGTERM');
  const kill = setTimeout(() => signal('SIGKILL'), 10_000); // a server still busy with a backlog
  return exited.finally(() => clearTimeout(kill));
}

const compound = (n: number) => ({ id: `c-${n}`, name: 'Aspirin', category: 'analgesic', efficacy: 0.92 });

// Publishes `events` events to the fan-out org (each to all 50 endpoints) through the API from PUBLISHERS clients, and
// answers deliveries/s from the first publish until `done()` reaches every delivery (or the time cap).
async function endToEnd(api: Api, key: string, events: number, capMs: number, done: () => Promise<number>): Promise<{ rate: number; done: number; total: number }> {
  const total = events * ENDPOINTS;
  const t0 = Date.now();
  let next = 0;
  const publishing = Promise.all(
    Array.from({ length: PUBLISHERS }, async () => {
      while (next < events && Date.now() - t0 < capMs) await api.publish(key, 'compound.created', compound(next++));
    }),
  );
  let n = 0;
  while (Date.now() - t0 < capMs) {
    await sleep(100);
    n = await done();
    if (n >= total) break;
  }
  const rate = (n * 1000) / (Date.now() - t0);
  await publishing;
  return { rate, done: n, total };
}

// Publishes `rate` events/s for `seconds` through the API (parallel singles, or batches of rate/100 every 10 ms when
// the server has batch publish), each to one endpoint of the single-type org, and answers publish → arrival.
async function latency(api: Api, key: string, rate: number, seconds: number, arrivals: Arrivals) {
  const count = rate * seconds;
  const sent = new Map<string, number>();
  const perTick = api.batch ? Math.max(1, Math.round(rate / 100)) : 1;
  const tickMs = (1000 * perTick) / rate;
  const t0 = Date.now() + 50;
  const pending: Promise<void>[] = [];
  let failed = 0;
  for (let i = 0, tick = 0; i < count; tick++) {
    await sleep(t0 + tick * tickMs - Date.now());
    const at = Date.now();
    const items = Array.from({ length: Math.min(perTick, count - i) }, () => ({ type: `bench.e${i % ENDPOINTS}`, data: { n: i++ } }));
    const p = api.batch
      ? api.publishBatch(key, items).then((ids) => ids.forEach((id) => sent.set(id, at)))
      : api.publish(key, items[0]!.type, items[0]!.data).then((id) => void sent.set(id, at));
    pending.push(p.catch(() => void failed++));
  }
  await Promise.race([Promise.all(pending), sleep(30_000)]); // a server that cannot keep up does not hold the bench
  const publishedIn = (Date.now() - t0) / 1000;
  const arrivedAt = (k: string) => arrivals.get(k);
  for (const deadline = Date.now() + 10_000; [...sent.keys()].some((k) => arrivedAt(k) === undefined) && Date.now() < deadline; ) await sleep(20);
  const lat = [...sent].filter(([k]) => arrivedAt(k) !== undefined).map(([k, at]) => arrivedAt(k)! - at);
  return { p50: pct(lat, 0.5), p99: pct(lat, 0.99), n: lat.length, lost: sent.size - lat.length, failed, achieved: sent.size / publishedIn };
}

function spawnWorker(url: string, key: string, auth: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, npmScriptArgs('worker'), { // `npm run worker`'s command, without npm between
    env: { ...process.env, DATABASE_URL: url, WEBHOOK_ENCRYPTION_KEY: key, AUTH_SECRET: auth, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => b.toString().includes('started') && resolve(child));
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

const line = (label: string, l: Awaited<ReturnType<typeof latency>>, rate: number) =>
  `${label}, publish → arrival through the API at ${fmt(rate)} events/s (got ${fmt(l.achieved)}/s): p50 ${l.p50} ms, p99 ${l.p99} ms (${l.n} events${l.lost ? `, ${l.lost} not arrived` : ''}${l.failed ? `, ${l.failed} publishes failed` : ''})`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hookrelay-bench-'));
  const key = randomBytes(32).toString('base64');
  const auth = randomBytes(32).toString('base64');
  Object.assign(process.env, { DATA_DIR: dataDir, WEBHOOK_ENCRYPTION_KEY: key, AUTH_SECRET: auth, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
  const { openPostgres, openPglite } = await import('@/db/client');
  const { setDbHandle, getDb } = await import('@/lib/db');
  const { deliveries } = await import('@/db/schema');
  const { setEnv } = await import('@/lib/env');
  const { encodeBody, signatureHeaders, generateSecret } = await import('@/lib/signing');
  setEnv({ WEBHOOK_ALLOW_PRIVATE_TARGETS: true });
  const admin = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `hookrelay_bench_${Date.now().toString(36)}`;
  const children: ChildProcess[] = [];
  const arrivals: Arrivals = new Map();
  let pg: Awaited<ReturnType<typeof openPostgres>> | undefined;
  const cleanup = async () => {
    for (const c of children) await stopTree(c).catch(() => {});
    await pg?.close().catch(() => {});
    const a = await openPostgres(admin, { max: 1, migrate: false });
    await a.pool!.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    await a.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const receiver = spawn(process.execPath, [...process.execArgv, process.argv[1]!, '--receiver'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(receiver);
    const rxUrl = await new Promise<string>((resolve) =>
      receiver.on('message', (m: { url?: string; arrivals?: [string, string, number][] }) => {
        if (m.url) resolve(m.url);
        for (const [id, where, at] of m.arrivals ?? []) {
          if (!arrivals.has(id)) arrivals.set(id, at);
          if (where.includes('fan=')) fanArrived.add(`${id} ${where}`);
        }
      }),
    );
    const sampleId = 'evt_01jd000000000000000000bench';
    const body = encodeBody('standard', { id: sampleId, type: 'compound.created', timestamp: new Date(), data: compound(1) });
    const headers = { 'content-type': 'application/json', ...signatureHeaders({ format: 'standard', secrets: [generateSecret()], id: sampleId, timestamp: 1, body }) };
    console.log(`Hookrelay delivery bench — Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}`);
    console.log(`receiver: HTTPS ${rxUrl} in its own process; ${ENDPOINTS} endpoints on it; standard body ${body.length} B; publishing through the REST API (${PUBLISHERS} clients)`);

    // ---- server mode: PostgreSQL, npm start (WEBHOOK_WORKER=off) and two npm run worker
    if (MODES.includes('server')) {
      const a = await openPostgres(admin, { max: 1, migrate: false });
      await a.pool!.query(`CREATE DATABASE ${dbName}`);
      await a.close();
      const pgUrl = admin.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);
      pg = await openPostgres(pgUrl, { max: 4 });
      setDbHandle(pg);
      const pgOrgs = await seed(rxUrl);
      const server = await startProduct(PORT, { DATABASE_URL: pgUrl, WEBHOOK_WORKER: 'off', AUTH_SECRET: auth, WEBHOOK_ENCRYPTION_KEY: key });
      children.push(server);
      const workers: ChildProcess[] = [];
      for (let i = 0; i < PG_WORKERS; i++) workers.push(await spawnWorker(pgUrl, key, auth));
      children.push(...workers);
      const rss = new RssPeaks(() => [['api', server.pid!], ...workers.map((w, i) => [`worker ${i + 1}`, w.pid!] as [string, number])]);
      const api = new Api(`http://127.0.0.1:${PORT}`);
      console.log(`batch publish: ${(await api.probeBatch(pgOrgs.fanKey)) ? 'used' : 'not available, parallel single publishes'}`);
      for (let i = 0; i < 20; i++) await api.publish(pgOrgs.singleKey, `bench.e${i}`, { warm: i }); // compile the route
      const pgConns = PG_WORKERS * CONNECTIONS_PER_ORIGIN;
      const db = await getDb();
      const succeeded = async () => {
        const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(deliveries).where(and(eq(deliveries.orgId, pgOrgs.fan), eq(deliveries.status, 'succeeded')));
        return Number(n);
      };
      // raw measured just before and just after, so that a change of load on this machine does not skew the ratio
      const rawPg1 = await rawRate(rxUrl, pgConns, RAW_SECONDS, body, headers);
      const e2ePg = await endToEnd(api, pgOrgs.fanKey, 200, 20_000, succeeded);
      const rawPg = (rawPg1 + (await rawRate(rxUrl, pgConns, RAW_SECONDS, body, headers))) / 2;
      console.log(`\nraw undici keep-alive POST, ${pgConns} connections: ${fmt(rawPg)} req/s (mean of before and after)`);
      console.log(`PostgreSQL, ${PG_WORKERS} worker processes (${pgConns} connections): end-to-end ${fmt(e2ePg.rate)} deliveries/s (${fmt(e2ePg.done)} of ${fmt(e2ePg.total)}), ratio to raw ${(e2ePg.rate / rawPg).toFixed(2)}`);
      console.log(line('PostgreSQL', await latency(api, pgOrgs.singleKey, 100, 5, arrivals), 100));
      console.log(line('PostgreSQL', await latency(api, pgOrgs.singleKey, 1000, 3, arrivals), 1000));
      rss.stop();
      console.log(`RSS peaks: ${[...rss.peaks].map(([n, m]) => `${n} ${m.toFixed(0)} MiB`).join(', ')}`);
      await api.close();
      for (const c of children.splice(1)) await stopTree(c);
      await pg.close();
      pg = undefined;
    }

    // ---- embedded mode: PGlite in DATA_DIR, seeded before npm start (one process at a time), worker in the server
    if (MODES.includes('embedded')) {
      const lite = await openPglite(path.join(dataDir, 'pglite'));
      setDbHandle(lite);
      const liteOrgs = await seed(rxUrl);
      await lite.close();
      const embedded = await startProduct(PORT + 1, { DATA_DIR: dataDir, AUTH_SECRET: auth, WEBHOOK_ENCRYPTION_KEY: key });
      children.push(embedded);
      const rssLite = new RssPeaks(() => [['server (API + worker)', embedded.pid!]]);
      const apiLite = new Api(`http://127.0.0.1:${PORT + 1}`);
      await apiLite.probeBatch(liteOrgs.fanKey);
      for (let i = 0; i < 20; i++) await apiLite.publish(liteOrgs.singleKey, `bench.e${i}`, { warm: i });
      // the embedded database lives in the server process: count distinct arrivals at the receiver instead
      const fanArrivals = () => Promise.resolve(fanArrived.size);
      const before = await fanArrivals();
      const rawLite1 = await rawRate(rxUrl, CONNECTIONS_PER_ORIGIN, RAW_SECONDS, body, headers);
      const e2eLite = await endToEnd(apiLite, liteOrgs.fanKey, 80, 20_000, async () => (await fanArrivals()) - before);
      const rawLite = (rawLite1 + (await rawRate(rxUrl, CONNECTIONS_PER_ORIGIN, RAW_SECONDS, body, headers))) / 2;
      console.log(`\nraw undici keep-alive POST, ${CONNECTIONS_PER_ORIGIN} connections: ${fmt(rawLite)} req/s (mean of before and after)`);
      console.log(`PGlite (embedded), 1 in-process worker (${CONNECTIONS_PER_ORIGIN} connections): end-to-end ${fmt(e2eLite.rate)} deliveries/s to arrival (${fmt(e2eLite.done)} of ${fmt(e2eLite.total)}), ratio to raw ${(e2eLite.rate / rawLite).toFixed(2)}`);
      console.log(line('PGlite (embedded)', await latency(apiLite, liteOrgs.singleKey, 100, 5, arrivals), 100));
      console.log(line('PGlite (embedded)', await latency(apiLite, liteOrgs.singleKey, 1000, 3, arrivals), 1000));
      rssLite.stop();
      console.log(`RSS peak: ${[...rssLite.peaks].map(([n, m]) => `${n} ${m.toFixed(0)} MiB`).join(', ')}`);
      await apiLite.close();
    }
    console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await cleanup();
  }
}

if (process.argv.includes('--receiver')) {
  void receiverMain();
} else {
  void runWithTestCa(main);
}
