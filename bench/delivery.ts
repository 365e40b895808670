// Delivery engine throughput and latency against raw undici, on PostgreSQL (worker processes) and PGlite (in-process).
// Run: npx tsx bench/delivery.ts   (needs PostgreSQL on 127.0.0.1:5432 with trust auth, as the tests; about 60 s)
// Prints: raw keep-alive POST rate to a local HTTPS receiver at the workers' concurrency, the end-to-end rate
// (publish → signed POST → attempt recorded) and its ratio to raw, and publish → arrival p50/p99 at 100 events/s.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { and, eq, sql } from 'drizzle-orm';

const ENDPOINTS = 50;
const CONNECTIONS_PER_ORIGIN = 32; // the sender's default pool per origin
const PG_WORKERS = 2;
const LATENCY_RATE = 100; // events per second
const LATENCY_SECONDS = 5;
const RAW_SECONDS = 2;
const started = Date.now();
const caFile = path.resolve('.test-data/ca/ca.pem');

type Arrivals = Map<string, number>;

// The receiver process: the harness's HTTPS receiver, reporting each webhook-id's arrival time to the parent.
async function receiverMain(): Promise<void> {
  const { startReceiver } = await import('../e2e/harness/receiver');
  let batch: [string, number][] = [];
  const rx = await startReceiver({
    handler: (req) => {
      const id = req.headers['webhook-id'];
      if (typeof id === 'string' && id !== 'raw') batch.push([id, req.at]);
      return undefined;
    },
  });
  setInterval(() => {
    rx.requests.length = 0;
    if (batch.length > 0) process.send!({ arrivals: batch });
    batch = [];
  }, 20);
  process.send!({ url: rx.url });
  process.on('disconnect', () => process.exit(0));
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

// Seeds an org with the 50 endpoints (all subscribed to '*'), and one with 50 endpoints each on its own event type.
async function seed(rxUrl: string) {
  const { getDb } = await import('../db/client');
  const { eventTypes } = await import('../db/schema');
  const { newId } = await import('../db/ids');
  const { makeOrg } = await import('../lib/webhooks/testing');
  const { addEndpoint } = await import('../lib/delivery/test-fixtures');
  const db = await getDb();
  const fan = (await makeOrg(db, [])).orgId;
  const single = (await makeOrg(db, [])).orgId;
  await db.insert(eventTypes).values(
    Array.from({ length: ENDPOINTS }, (_, i) => ({ id: newId('et'), orgId: single, name: `bench.e${i}`, schema: { type: 'object' }, sample: {} })),
  );
  for (let i = 0; i < ENDPOINTS; i++) {
    await addEndpoint(db, fan, `${rxUrl}?fan=${i}`);
    await addEndpoint(db, single, `${rxUrl}?one=${i}`, { eventTypes: [`bench.e${i}`] });
  }
  return { fan, single };
}

// Publishes `events` events to the fan-out org (each to all 50 endpoints) from 4 publishers, and answers deliveries/s
// from the first publish until every attempt is recorded (or the time cap).
async function endToEnd(orgId: string, events: number, capMs: number): Promise<{ rate: number; done: number; total: number }> {
  const { publishEvent } = await import('../lib/webhooks/events');
  const { getDb } = await import('../db/client');
  const { deliveries } = await import('../db/schema');
  const db = await getDb();
  const total = events * ENDPOINTS;
  const t0 = Date.now();
  let next = 0;
  const publishing = Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < events) await publishEvent(orgId, 'compound.created', { id: `c-${next++}`, name: 'Aspirin', category: 'analgesic', efficacy: 0.92 });
    }),
  );
  let done = 0;
  while (Date.now() - t0 < capMs) {
    await sleep(100);
    const [{ n }] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(deliveries)
      .where(and(eq(deliveries.orgId, orgId), eq(deliveries.status, 'succeeded')));
    done = Number(n);
    if (done >= total) break;
  }
  const rate = (done * 1000) / (Date.now() - t0);
  await publishing;
  return { rate, done, total };
}

// Publishes LATENCY_RATE events/s for LATENCY_SECONDS, each to one endpoint (round robin), and answers publish → arrival.
async function latency(orgId: string, arrivals: Arrivals): Promise<{ p50: number; p99: number; n: number; lost: number }> {
  const { publishEvent } = await import('../lib/webhooks/events');
  const count = LATENCY_RATE * LATENCY_SECONDS;
  const sent = new Map<string, number>();
  const t0 = Date.now() + 50;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    await sleep(t0 + (i * 1000) / LATENCY_RATE - Date.now());
    const at = Date.now();
    pending.push(publishEvent(orgId, `bench.e${i % ENDPOINTS}`, { n: i }).then((r) => void sent.set(r.event.id, at)));
  }
  await Promise.all(pending);
  for (const deadline = Date.now() + 5000; [...sent.keys()].some((id) => !arrivals.has(id)) && Date.now() < deadline; ) await sleep(20);
  const lat = [...sent].filter(([id]) => arrivals.has(id)).map(([id, at]) => arrivals.get(id)! - at);
  return { p50: pct(lat, 0.5), p99: pct(lat, 0.99), n: lat.length, lost: sent.size - lat.length };
}

function spawnWorker(url: string, key: string, auth: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/delivery/worker-main.ts'], {
    env: { ...process.env, DATABASE_URL: url, WEBHOOK_ENCRYPTION_KEY: key, AUTH_SECRET: auth, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => b.toString().includes('started') && resolve(child));
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hookrelay-bench-'));
  const key = randomBytes(32).toString('base64');
  const auth = randomBytes(32).toString('base64');
  Object.assign(process.env, { DATA_DIR: dataDir, WEBHOOK_ENCRYPTION_KEY: key, AUTH_SECRET: auth, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
  const { openPostgres, openPglite, setDbHandle } = await import('../db/client');
  const { setEnv } = await import('../lib/env');
  const { encodeBody, signatureHeaders, generateSecret } = await import('../lib/signing');
  setEnv({ WEBHOOK_ALLOW_PRIVATE_TARGETS: true });
  const admin = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `hookrelay_bench_${Date.now().toString(36)}`;
  const children: ChildProcess[] = [];
  const arrivals: Arrivals = new Map();
  let pg: Awaited<ReturnType<typeof openPostgres>> | undefined;
  const cleanup = async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
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
      receiver.on('message', (m: { url?: string; arrivals?: [string, number][] }) => {
        if (m.url) resolve(m.url);
        for (const [id, at] of m.arrivals ?? []) if (!arrivals.has(id)) arrivals.set(id, at);
      }),
    );
    const sampleId = 'evt_01jd000000000000000000bench';
    const body = encodeBody('standard', { id: sampleId, type: 'compound.created', timestamp: new Date(), data: { id: 'c-1', name: 'Aspirin', category: 'analgesic', efficacy: 0.92 } });
    const headers = { 'content-type': 'application/json', ...signatureHeaders({ format: 'standard', secrets: [generateSecret()], id: sampleId, timestamp: 1, body }) };
    console.log(`Hookrelay delivery bench — Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}`);
    console.log(`receiver: HTTPS ${rxUrl} in its own process; ${ENDPOINTS} endpoints on it; standard body ${body.length} B`);

    const a = await openPostgres(admin, { max: 1, migrate: false });
    await a.pool!.query(`CREATE DATABASE ${dbName}`);
    await a.close();
    const pgUrl = admin.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);
    pg = await openPostgres(pgUrl, { max: 10 });
    setDbHandle(pg);
    const pgOrgs = await seed(rxUrl);
    for (let i = 0; i < PG_WORKERS; i++) children.push(await spawnWorker(pgUrl, key, auth));
    const pgConns = PG_WORKERS * CONNECTIONS_PER_ORIGIN;
    // raw measured just before and just after, so that a change of load on this machine does not skew the ratio
    const rawPg1 = await rawRate(rxUrl, pgConns, RAW_SECONDS, body, headers);
    const e2ePg = await endToEnd(pgOrgs.fan, 200, 15_000);
    const rawPg = (rawPg1 + (await rawRate(rxUrl, pgConns, RAW_SECONDS, body, headers))) / 2;
    console.log(`\nraw undici keep-alive POST, ${pgConns} connections: ${fmt(rawPg)} req/s (mean of before and after)`);
    console.log(`PostgreSQL, ${PG_WORKERS} worker processes (${pgConns} connections): end-to-end ${fmt(e2ePg.rate)} deliveries/s (${fmt(e2ePg.done)} of ${fmt(e2ePg.total)}), ratio to raw ${(e2ePg.rate / rawPg).toFixed(2)}`);
    const latPg = await latency(pgOrgs.single, arrivals);
    console.log(`PostgreSQL, publish → arrival at ${LATENCY_RATE} events/s (each to 1 of ${ENDPOINTS} endpoints): p50 ${latPg.p50} ms, p99 ${latPg.p99} ms (${latPg.n} events${latPg.lost ? `, ${latPg.lost} not arrived` : ''})`);
    for (const c of children.splice(1)) {
      c.kill('SIGTERM');
      await new Promise((r) => c.once('exit', r));
    }

    const lite = await openPglite();
    setDbHandle(lite);
    const liteOrgs = await seed(rxUrl);
    const { startWorker } = await import('../lib/delivery/worker');
    const worker = startWorker();
    const rawLite1 = await rawRate(rxUrl, CONNECTIONS_PER_ORIGIN, RAW_SECONDS, body, headers);
    const e2eLite = await endToEnd(liteOrgs.fan, 80, 12_000);
    const rawLite = (rawLite1 + (await rawRate(rxUrl, CONNECTIONS_PER_ORIGIN, RAW_SECONDS, body, headers))) / 2;
    console.log(`\nraw undici keep-alive POST, ${CONNECTIONS_PER_ORIGIN} connections: ${fmt(rawLite)} req/s (mean of before and after)`);
    console.log(`PGlite (embedded), 1 in-process worker (${CONNECTIONS_PER_ORIGIN} connections): end-to-end ${fmt(e2eLite.rate)} deliveries/s (${fmt(e2eLite.done)} of ${fmt(e2eLite.total)}), ratio to raw ${(e2eLite.rate / rawLite).toFixed(2)}`);
    const latLite = await latency(liteOrgs.single, arrivals);
    console.log(`PGlite (embedded), publish → arrival at ${LATENCY_RATE} events/s (each to 1 of ${ENDPOINTS} endpoints): p50 ${latLite.p50} ms, p99 ${latLite.p99} ms (${latLite.n} events${latLite.lost ? `, ${latLite.lost} not arrived` : ''})`);
    await worker.stop();
    await lite.close();
    console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await cleanup();
  }
}

if (process.argv.includes('--receiver')) {
  void receiverMain();
} else if (path.resolve(process.env.NODE_EXTRA_CA_CERTS ?? '') !== caFile) {
  // Node reads extra CAs only at start: run again with the test CA trusted (the receiver's certificate is signed by it)
  const { testCa } = await import('../e2e/harness/ca');
  testCa();
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile } });
  process.exit(r.status ?? 1);
} else {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
