import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Worker } from '@/lib/delivery/worker';
import { createTestDb } from './db';
import { startReceiver, type Behavior, type Receiver, type ReceiverOptions } from './receiver';

// Setup of an integration test file, as Vitest hooks: each use… registers a beforeAll and an afterAll, and the after
// hooks run in reverse order (Vitest's default "stack"), so the database is dropped last.

type TestDb = Awaited<ReturnType<typeof createTestDb>>;

// An object that reads and writes through to what `get()` holds once the file's beforeAll hooks have run.
export function live<T extends object>(get: () => T | undefined, what: string): T {
  const ready = () => {
    const value = get();
    if (!value) throw new Error(`${what} is not ready: use it inside a test or a hook`);
    return value;
  };
  return new Proxy({} as T, {
    get(_target, key) {
      const value = ready();
      const v = Reflect.get(value, key);
      return typeof v === 'function' ? v.bind(value) : v;
    },
    set: (_target, key, v) => Reflect.set(ready(), key, v),
  });
}

// A fresh, migrated database for this test file (PGlite or PostgreSQL as TEST_DB says), dropped after its tests.
export function useTestDb(): TestDb {
  let h: TestDb | undefined;
  beforeAll(async () => {
    h = await createTestDb();
  }, 90_000);
  afterAll(async () => {
    await h?.close();
  });
  return live(() => h, 'the test database');
}

// Starts HTTPS receivers for this test file; all are closed after its tests.
export function useReceivers(): (opts?: ReceiverOptions) => Promise<Receiver> {
  const started: Receiver[] = [];
  afterAll(async () => {
    for (const r of started) await r.close();
  });
  return async (opts) => {
    const r = await startReceiver(opts);
    started.push(r);
    return r;
  };
}

// One HTTPS receiver for this test file, answering `fallback` when given; closed after its tests.
export function useReceiver(fallback?: Behavior): Receiver {
  let r: Receiver | undefined;
  beforeAll(async () => {
    r = await startReceiver();
    if (fallback) r.fallback = fallback;
  });
  afterAll(async () => {
    await r?.close();
  });
  return live(() => r, 'the receiver');
}

// Workers and child processes a test starts (push them here): stopped, and killed if still running, after each test.
export function useStoppedAfterEach(): { workers: Worker[]; children: ChildProcess[] } {
  const workers: Worker[] = [];
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
  return { workers, children };
}
