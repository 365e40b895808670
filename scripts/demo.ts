// `npm run demo`: Hookrelay with sample traffic, for a first look. It starts the product the way `npm start` does, in
// embedded mode with its own data folder, plus local HTTPS receivers (one per wire format, each running the receiver
// code the product ships, on a throw-away CA), signs up a demo user, subscribes endpoints to the sample types and
// publishes a trickle of events; one receiver is down for the first minute, so retries, a failure and a replay show.
// Ctrl-C stops everything it started.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from '@/lib/http/free-port';

const ROOT = path.resolve(import.meta.dirname, '..');
const FORCE = process.argv.includes('--force');
const DEFAULT_DATA_DIR = '.demo-data';
const RETRY_SCHEDULE = '5,10,20';
const DOWN_FOR_MS = 60_000;
const TRICKLE_EVERY_MS = 4_000;
const TRICKLE_FOR_MS = 10 * 60_000;

const say = (line: string) => console.log(`[demo] ${line}`);
function fail(message: string): never {
  console.error(`[demo] ${message}`);
  process.exit(1);
}

// ── Where and how it runs ───────────────────────────────────────────────────────────────────────────────────────────
if (process.env.DATABASE_URL && !FORCE) {
  fail('DATABASE_URL is set: the demo would write its user, endpoints and events into that database. Unset it to use the embedded database, or run `npm run demo -- --force` to use it anyway.');
}
const PORT = Number(process.env.PORT || 3000);
if (!Number.isInteger(PORT) || PORT < 1 || PORT > 65535) fail(`PORT must be a port number, not "${process.env.PORT}".`);
const base = `http://127.0.0.1:${PORT}`;
const dataDir = path.resolve(process.env.DATA_DIR || DEFAULT_DATA_DIR);
if (!process.env.DATA_DIR) {
  rmSync(dataDir, { recursive: true, force: true }); // the demo's own folder: a fresh demo every run
} else if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
  fail(`DATA_DIR ${dataDir} is not empty. The demo needs an empty or new folder; it never touches existing data.`);
}
mkdirSync(dataDir, { recursive: true });

const children: ChildProcess[] = [];
const timers: ReturnType<typeof setTimeout>[] = [];
let stopping = false;

// Stops every process and timer the demo started, then exits.
function stopAll(code = 0): void {
  if (stopping) return;
  stopping = true;
  for (const t of timers) clearTimeout(t);
  // The children share the demo's process group, so a Ctrl-C in the terminal reaches them too; this covers a SIGTERM
  // sent to the demo alone (start.ts passes it on to the Next server).
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  setTimeout(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    process.exit(code);
  }, 5000).unref();
  if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(code);
  let left = children.filter((c) => c.exitCode === null && c.signalCode === null).length;
  for (const c of children) c.once('exit', () => { if (--left <= 0) process.exit(code); });
}
process.on('SIGINT', () => { say('Stopping…'); stopAll(0); });
process.on('SIGTERM', () => stopAll(0));

function later(ms: number, fn: () => void | Promise<void>): void {
  timers.push(setTimeout(() => { if (!stopping) void Promise.resolve(fn()).catch((e) => say(`(${(e as Error).message})`)); }, ms));
}

// Something already listening on PORT (another Hookrelay, an earlier demo) would take the demo's requests.
const portTaken = await new Promise<boolean>((resolve) => {
  const probe = net.connect(PORT, '127.0.0.1');
  probe.once('connect', () => { probe.destroy(); resolve(true); });
  probe.once('error', () => resolve(false));
});
if (portTaken) fail(`Port ${PORT} is already in use on 127.0.0.1. Stop what runs there, or choose another port: PORT=3005 npm run demo`);

// ── Throw-away CA and receivers ─────────────────────────────────────────────────────────────────────────────────────
const caDir = path.join(dataDir, 'ca');
const ca = spawnSync('bash', [path.join(ROOT, 'scripts/make-test-ca.sh'), caDir], { stdio: 'inherit' });
if (ca.status !== 0) fail('Could not make the throw-away CA (needs openssl).');

type Format = 'standard' | 'axifi' | 'axle';

// A receiver: the shipped Node snippet for a format (lib/signing/snippets), serving HTTPS with the CA's certificate.
function startReceiver(name: string, format: Format, port: number, secret: string): ChildProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'lib/signing/snippets', `${format}.node.js`)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WEBHOOK_SECRET: secret, PORT: String(port), HOST: '127.0.0.1', TLS_CERT_FILE: path.join(caDir, 'server.pem'), TLS_KEY_FILE: path.join(caDir, 'server-key.pem') },
  });
  children.push(child);
  child.stdout!.on('data', (b: Buffer) => { for (const l of b.toString().trim().split('\n')) say(`${name}: ${l}`); });
  child.stderr!.on('data', (b: Buffer) => { for (const l of b.toString().trim().split('\n')) say(`${name} (error): ${l}`); });
  child.on('exit', (code, sig) => { if (!stopping) say(`${name} receiver stopped (${sig ?? code}).`); });
  return child;
}

// ── The product, started as `npm start` starts it ───────────────────────────────────────────────────────────────────
const demoToken = randomBytes(32).toString('base64url');
say(`Retry schedule for this run: ${RETRY_SCHEDULE.split(',').join(', ')} s between attempts (the product's default is 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), so retries show within a minute.`);
say(`Data folder: ${dataDir}. Private targets (127.0.0.1) are allowed for this run only.`);
const server = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'scripts/start.ts')], {
  cwd: ROOT,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: {
    ...process.env,
    DATABASE_URL: FORCE ? (process.env.DATABASE_URL ?? '') : '',
    DATA_DIR: dataDir,
    PORT: String(PORT),
    HOST: '127.0.0.1',
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_RETRY_SCHEDULE: RETRY_SCHEDULE,
    WEBHOOK_TIMEOUT_MS: '10000',
    WEBHOOK_LEASE_MS: '20000',
    NODE_EXTRA_CA_CERTS: path.join(caDir, 'ca.pem'),
    HOOKRELAY_DEMO_TOKEN: demoToken,
    NEXT_TELEMETRY_DISABLED: '1',
  },
});
children.push(server);
server.on('exit', (code) => {
  if (stopping) return;
  say(`The server stopped (${code}); stopping the demo.`);
  stopAll(code || 1);
});

async function api<T>(method: string, p: string, key: string | null, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p} answered ${res.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function waitForServer(): Promise<void> {
  const deadline = Date.now() + 300_000; // a first run builds the product first
  while (Date.now() < deadline && !stopping) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the server did not answer on ${base} within 5 minutes`);
}

type EventType = { name: string; sample: Record<string, unknown> };
type Delivery = { id: string; eventId: string; status: string };

async function main(): Promise<void> {
  await waitForServer();
  const email = 'demo@example.com';
  const password = `demo-${randomBytes(6).toString('hex')}`;
  const { key } = await api<{ key: string }>('POST', '/api/internal/demo', demoToken, { email, password });
  const types = (await api<{ data: EventType[] }>('GET', '/api/v1/event-types', key)).data;
  const sample = (name: string) => types.find((t) => t.name === name)?.sample ?? {};

  // One endpoint per wire format, and one more (standard) whose receiver is down for the first minute.
  const plan: { name: string; format: Format; types: string[]; late: boolean }[] = [
    { name: 'standard', format: 'standard', types: ['compound.created', 'investigation.updated'], late: false },
    { name: 'axifi', format: 'axifi', types: ['compound.created'], late: false },
    { name: 'axle', format: 'axle', types: ['investigation.updated'], late: false },
    { name: 'flaky', format: 'standard', types: ['compound.created'], late: true },
  ];
  const made: { name: string; id: string; format: Format; port: number; late: boolean; secret: string }[] = [];
  for (const p of plan) {
    const port = await freePort();
    const { endpoint, secret } = await api<{ endpoint: { id: string }; secret: string }>('POST', '/api/v1/endpoints', key, {
      url: `https://127.0.0.1:${port}/webhook`,
      description: p.late ? 'Demo receiver that is down for the first minute, then recovers' : `Demo receiver (${p.format} format, verifies with the shipped receiver code)`,
      eventTypes: p.types,
      format: p.format,
    });
    made.push({ name: p.name, id: endpoint.id, format: p.format, port, late: p.late, secret });
  }
  for (const m of made) if (!m.late) startReceiver(m.name, m.format, m.port, m.secret);
  const flaky = made.find((m) => m.late)!;

  say('');
  say(`Open ${base} and sign in as ${email} with the password ${password}`);
  say(`Endpoints: ${made.map((m) => `${m.name} (https://127.0.0.1:${m.port}/webhook)`).join(', ')}.`);
  say(`The flaky receiver is down for ${DOWN_FOR_MS / 1000} s: its deliveries fail, are retried, some fail for good, and one is replayed once it is back.`);
  say('Ctrl-C stops the server and the receivers.');
  say('');

  // A trickle of sample events, alternating the two types, for ten minutes.
  const started = Date.now();
  let n = 0;
  const publish = async () => {
    if (stopping || Date.now() - started > TRICKLE_FOR_MS) return;
    const type = n++ % 2 === 0 ? 'compound.created' : 'investigation.updated';
    const data = { ...sample(type), ...(type === 'compound.created' ? { id: `compound-${n}` } : {}) };
    try {
      const r = await api<{ id: string; deliveries: number }>('POST', '/api/v1/events', key, { type, data });
      say(`published ${type} ${r.id} to ${r.deliveries} endpoint${r.deliveries === 1 ? '' : 's'}`);
    } catch (e) {
      say(`publish failed: ${(e as Error).message}`);
    }
    later(TRICKLE_EVERY_MS, publish);
  };
  void publish();

  // The flaky receiver comes up after a minute; then one delivery that failed for good is replayed.
  later(DOWN_FOR_MS, () => {
    say('The flaky receiver is back up.');
    startReceiver(flaky.name, flaky.format, flaky.port, flaky.secret);
    void replayOneFailed(key, flaky.id, 0);
  });
}

async function replayOneFailed(key: string, endpointId: string, tries: number): Promise<void> {
  if (stopping) return;
  const failed = (await api<{ data: Delivery[] }>('GET', `/api/v1/endpoints/${endpointId}/deliveries?status=failed`, key)).data;
  const d = failed[failed.length - 1];
  if (!d) {
    if (tries < 30) later(2000, () => replayOneFailed(key, endpointId, tries + 1));
    else say('No delivery to the flaky receiver failed for good, so there was nothing to replay.');
    return;
  }
  await new Promise((r) => setTimeout(r, 1500)); // let the receiver finish starting
  await api('POST', `/api/v1/deliveries/${d.id}/replay`, key);
  say(`Replayed delivery ${d.id} of ${d.eventId} (it had failed every attempt while the receiver was down).`);
}

main().catch((e) => {
  say(`The demo could not start: ${(e as Error).message}`);
  stopAll(1);
});
