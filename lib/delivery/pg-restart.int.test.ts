import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inArray } from 'drizzle-orm';
import { startReceiver, type Receiver } from '@/test/receiver';
import { openPostgres, type DbHandle } from '@/db/client';
import { setDbHandle } from '@/lib/db';
import { deliveries } from '@/db/schema';
import { publishEvent } from '@/lib/webhooks/events';
import { makeOrg, publisher } from '@/test/factories';
import { addEndpoint, fastDeliveryEnv, spawnWorkerProcess, until } from '@/test/delivery';
import { freePort } from '@/lib/http/free-port';

// A throw-away PostgreSQL cluster (own initdb, own port) restarted mid-run: the worker process reconnects by
// itself and every delivery arrives. Needs root (initdb runs as the postgres user) and the PostgreSQL server binaries.
const run = process.env.TEST_DB === 'postgres' ? describe : describe.skip;

const N = 40;
const compound = { id: 'compound-1', name: 'Aspirin', category: 'analgesic', efficacy: 0.92 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The newest installed PostgreSQL server binaries, or a clear failure.
function pgBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')) && existsSync(path.join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a) || b.localeCompare(a))
    : [];
  if (!versions.length) throw new Error(`pg-restart test: no PostgreSQL server binaries (initdb, pg_ctl) under ${root}/*/bin`);
  return path.join(root, versions[0]!, 'bin');
}

// Retries a database call across a restart (connections refused or cut), a bounded number of times.
async function retrying<T>(what: string, fn: () => Promise<T>, tries = 60): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= tries) throw new Error(`${what} kept failing (${tries} tries): ${(err as Error).message}`);
      await sleep(250);
    }
  }
}

run('a PostgreSQL restart in the middle of a run', () => {
  let dir: string | undefined;
  let bin: string;
  let port: number;
  let started = false;
  let h: DbHandle | undefined;
  let rx: Receiver | undefined;
  const children: ChildProcess[] = [];

  const pgCtl = (...args: string[]) =>
    execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), '-D', path.join(dir!, 'data'), ...args], {
      stdio: 'pipe',
      timeout: 60_000,
    });
  const startCluster = () =>
    pgCtl('-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-l', path.join(dir!, 'log'), '-w', '-t', '60', 'start');
  const serverLog = () => {
    try {
      return readFileSync(path.join(dir!, 'log'), 'utf8').slice(-4000);
    } catch {
      return '(no server log)';
    }
  };

  beforeAll(async () => {
    if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
      throw new Error('pg-restart test: must run as root (it runs initdb and pg_ctl as the postgres user via runuser)');
    }
    bin = pgBin();
    dir = mkdtempSync(path.join(os.tmpdir(), 'hookrelay-pg-restart-'));
    execFileSync('chown', ['postgres', dir]);
    try {
      execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, 'initdb'), '-D', path.join(dir, 'data'), '-A', 'trust', '-U', 'postgres'], {
        stdio: 'pipe',
        timeout: 60_000,
      });
      port = await freePort();
      startCluster();
      started = true;
    } catch (err) {
      const e = err as Error & { stderr?: Buffer };
      throw new Error(`pg-restart test: could not make the throw-away cluster: ${e.message}\n${e.stderr?.toString() ?? ''}\n${serverLog()}`);
    }
    h = await openPostgres(`postgres://postgres@127.0.0.1:${port}/postgres`);
    setDbHandle(h);
    fastDeliveryEnv([0.2, 0.2, 0.2]);
  }, 90_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await rx?.close().catch(() => {});
    await h?.close().catch(() => {});
    if (dir) {
      if (started || existsSync(path.join(dir, 'data', 'postmaster.pid'))) {
        try {
          pgCtl('-m', 'immediate', '-w', 'stop');
        } catch {
          // already down
        }
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('the worker process reconnects by itself and every delivery arrives', async () => {
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const db = h!.db;
    const { orgId } = await makeOrg(db, []);
    rx = await startReceiver();
    rx.fallback = { kind: 'drip', intervalMs: 50, chunks: 4 }; // ~200 ms a delivery: work is in flight at the restart
    await addEndpoint(db, orgId, rx.url);

    const w = spawnWorkerProcess(url, { WEBHOOK_ENDPOINT_CONCURRENCY: '2' });
    children.push(w.child);
    await w.started;
    expect(w.child.exitCode, w.output()).toBeNull();

    const published: string[] = [];
    for (let i = 0; i < N; i++) {
      const { event, deliveries: n } = await publishEvent(publisher(orgId), 'compound.created', { ...compound, id: `before-${i}` });
      expect(n).toBe(1);
      published.push(event.id);
    }
    await rx.waitFor(5, 30_000); // some have arrived: the run is under way
    expect(new Set(rx.requests.map((r) => r.headers['webhook-id'])).size).toBeLessThan(N); // ...and not over

    // Restart the cluster under the worker's feet (fast: sessions cut), with a short outage in between.
    pgCtl('-m', 'fast', '-w', '-t', '60', 'stop');
    await sleep(1000);
    startCluster();

    for (let i = 0; i < N; i++) {
      const { event } = await retrying('publish after the restart', () => publishEvent(publisher(orgId), 'compound.created', { ...compound, id: `after-${i}` }));
      published.push(event.id);
    }
    expect(new Set(published).size).toBe(2 * N);

    const arrived = () => new Set(rx!.requests.map((r) => String(r.headers['webhook-id'])));
    try {
      await until(async () => published.every((id) => arrived().has(id)), 60_000, 'every published event to arrive');
    } catch (err) {
      const missing = published.filter((id) => !arrived().has(id));
      throw new Error(`${(err as Error).message}; ${missing.length} missing\nworker output:\n${w.output().slice(-4000)}`);
    }
    expect(published.filter((id) => !arrived().has(id))).toEqual([]);

    const rows = await until(
      async () => {
        const list = await retrying('reading deliveries', () => db.select().from(deliveries).where(inArray(deliveries.eventId, published)));
        return list.length === 2 * N && list.every((d) => d.status === 'succeeded') && list;
      },
      60_000,
      'every delivery row to end succeeded',
    );
    expect(rows).toHaveLength(2 * N);
    expect(rows.filter((d) => d.status !== 'succeeded')).toEqual([]);
    expect(w.output()).toMatch(/work listener lost/); // it did see the outage
    expect(w.child.exitCode, w.output()).toBeNull(); // the same process, still running: it reconnected by itself
  }, 120_000);
});
