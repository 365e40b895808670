// Test harness: runs receiver programs (snippets, seed copies) as child HTTPS servers and sends them signed requests.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCa } from '@/test/ca';
import { encodeBody, generateSecret, signatureHeaders, type WireFormat } from '@/lib/signing/index';
import { freePort } from '@/lib/http/free-port';

// Per test and per hook: starting a receiver may include a Go build.
export const TIMEOUT_MS = 60_000;
const READY_MS = 30_000;
const OUTPUT_LIMIT = 20_000;
// A path under lib/signing/ (tests run from the project root).
export const here = (...parts: string[]) => path.resolve('lib/signing', ...parts);
// A seed receiver program kept beside this file (a copy of a customer's receiver).
export const seed = (name: string) => path.resolve('test/signing', name);

type Running = { url: string; child: ChildProcess; output: () => string };
type Command = { cmd: string; args: string[] };

const children = new Set<ChildProcess>();

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.setTimeout(1_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

// Starts a receiver with WEBHOOK_SECRET, PORT, HOST and the test CA's server certificate; resolves once its port accepts.
async function start(name: string, { cmd, args }: Command, secret: string): Promise<Running> {
  const ca = testCa();
  const port = await freePort();
  const child = spawn(cmd, args, {
    env: {
      ...process.env,
      WEBHOOK_SECRET: secret,
      PORT: String(port),
      HOST: '127.0.0.1',
      TLS_CERT_FILE: path.join(ca.dir, 'server.pem'),
      TLS_KEY_FILE: path.join(ca.dir, 'server-key.pem'),
      PYTHONDONTWRITEBYTECODE: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    if (output.length < OUTPUT_LIMIT) output += chunk.toString('utf8');
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let spawnError: Error | undefined;
  child.once('error', (e) => (spawnError = e));
  const deadline = Date.now() + READY_MS;
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`${name}: cannot start ${cmd}: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}):\n${output}`);
    if (await canConnect(port)) return { url: `https://127.0.0.1:${port}`, child, output: () => output };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not listen on port ${port} within ${READY_MS} ms:\n${output}`);
}

// Ends a child: SIGTERM, then SIGKILL if it is still running after 5 s.
async function stop(child: ChildProcess): Promise<void> {
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    child.kill('SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000).unref())]);
  }
}

// POSTs over HTTPS, trusting only the test CA.
export function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      method: 'POST',
      ca: testCa().caPem,
      agent: false,
      timeout: 10_000,
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
    });
    req.once('timeout', () => req.destroy(new Error(`no answer from ${url} within 10 s`)));
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.once('error', reject);
    });
    req.end(body);
  });
}

let goChecked: string | undefined;
const goBuilds = new Map<string, Promise<string>>();

// Builds a Go program once into a temp dir (GOCACHE under os.tmpdir()); fails when Go is not installed.
export function goProgram(source: string): Promise<Command> {
  goChecked ??= spawnSync('go', ['version'], { encoding: 'utf8' }).error ? 'missing' : 'ok';
  if (goChecked === 'missing') return Promise.reject(new Error('Go is missing: apt-get install golang-go (npm test installs it)'));
  let build = goBuilds.get(source);
  if (!build) {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'hookrelay-go-')), path.basename(source, '.go'));
    const cache = path.join(os.tmpdir(), 'hookrelay-go-cache');
    mkdirSync(cache, { recursive: true });
    const env = { ...process.env, GOCACHE: cache, GOPATH: path.join(cache, 'gopath'), GOFLAGS: '', GO111MODULE: 'on', CGO_ENABLED: '0' };
    build = new Promise((resolve, reject) =>
      execFile('go', ['build', '-o', out, source], { env, timeout: 50_000 }, (error, _stdout, stderr) =>
        error ? reject(new Error(`go build ${source} failed: ${stderr || error.message}`)) : resolve(out),
      ),
    );
    goBuilds.set(source, build);
  }
  return build.then((cmd) => ({ cmd, args: [] }));
}

// Runs a JavaScript receiver with this Node.
export const nodeProgram = (file: string): Promise<Command> => Promise.resolve({ cmd: process.execPath, args: [file] });
// Runs a Python receiver with python3, unbuffered.
export const pythonProgram = (file: string): Promise<Command> => Promise.resolve({ cmd: 'python3', args: ['-u', file] });

const event = {
  id: 'evt_2mVq8GkqTn3vYc6b0lJ1WdXh',
  type: 'compound.created',
  timestamp: new Date('2024-01-15T10:30:45.000Z'),
  data: { id: 'compound-123', name: 'Ibuprofène 😀 "forte"', category: 'analgesic', efficacy: 0.92, tags: ['a', 'b'], meta: null },
};

// The cases every receiver must pass: signed deliveries accepted, forged ones refused with 401.
export function describeReceiver(name: string, format: WireFormat, urlPath: string, command: () => Promise<Command>): void {
  describe(name, () => {
    const secret = generateSecret();
    const stranger = generateSecret();
    let running: Running | undefined;
    beforeAll(async () => {
      running = await start(name, await command(), secret);
    }, TIMEOUT_MS);
    afterAll(async () => {
      if (running) await stop(running.child);
    }, TIMEOUT_MS);

    const send = async (secrets: string[], opts: { age?: number; tamper?: boolean } = {}) => {
      const body = encodeBody(format, event);
      const timestamp = Math.floor(Date.now() / 1000) - (opts.age ?? 0);
      const headers = signatureHeaders({ format, secrets, id: event.id, timestamp, body });
      const sent = opts.tamper ? body.replace('analgesic', 'anesthetic') : body;
      if (!running) throw new Error(`${name} is not running`);
      const res = await post(running.url + urlPath, sent, headers);
      return { ...res, log: running.output() };
    };
    const expectStatus = (res: { status: number; body: string; log: string }, status: number) =>
      expect(res.status, `${name} answered ${res.status} ${res.body}\n${res.log}`).toBe(status);

    it('accepts a signed delivery', async () => expectStatus(await send([secret]), 200), TIMEOUT_MS);
    // Standard receivers may hold the new secret (any v1 signature counts); vendor headers use secrets[0].
    it('accepts a delivery signed during a rotation', async () => {
      expectStatus(await send(format === 'standard' ? [stranger, secret] : [secret, stranger]), 200);
    }, TIMEOUT_MS);
    it('refuses a delivery signed with another secret (401)', async () => expectStatus(await send([stranger]), 401), TIMEOUT_MS);
    it('refuses a tampered body (401)', async () => expectStatus(await send([secret], { tamper: true }), 401), TIMEOUT_MS);
    if (format === 'standard') {
      it('refuses a timestamp 10 minutes old (401)', async () => expectStatus(await send([secret], { age: 600 }), 401), TIMEOUT_MS);
      it('refuses a timestamp 10 minutes in the future (401)', async () => expectStatus(await send([secret], { age: -600 }), 401), TIMEOUT_MS);
    }
  });
}

// Safety net for a failed run: no child outlives the test file.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
