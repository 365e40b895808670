import { env } from './env';
import { getDbHandle } from './db';
import { resealStored } from './crypto/reseal';

// Server start-up (called by server.ts, once): validate the environment, open and migrate the database, seal again
// what an older version stored, and start the in-process delivery worker (with the retention purge beside it) unless
// WEBHOOK_WORKER=off. This is the only place a server process starts a worker.
export async function boot(): Promise<void> {
  const e = env();
  const { db } = await getDbHandle();
  const r = await resealStored(db);
  if (r.secrets || r.headers) console.log(`hookrelay: sealed again ${r.secrets} secret(s) and the headers of ${r.headers} endpoint(s) in the current format`);
  if (r.unreadable) console.warn(`hookrelay: ${r.unreadable} stored secret(s) do not open with WEBHOOK_ENCRYPTION_KEY; they were left as they are`);
  if (e.WEBHOOK_WORKER === 'on') {
    const { startEmbeddedWorker } = await import('./delivery/worker');
    startEmbeddedWorker();
    const { startEmbeddedRetention } = await import('./delivery/retention');
    startEmbeddedRetention();
  }
}

// Graceful stop: the worker finishes or gives back its attempts, then the database closes.
export async function shutdown(): Promise<void> {
  const { stopEmbeddedWorker } = await import('./delivery/worker');
  await stopEmbeddedWorker();
  const { stopEmbeddedRetention } = await import('./delivery/retention');
  await stopEmbeddedRetention();
  const { closeKeyCache } = await import('./api/key-cache');
  await closeKeyCache();
  const handle = await getDbHandle().catch(() => undefined);
  await handle?.close().catch(() => {});
}
