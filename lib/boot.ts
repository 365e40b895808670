import { env } from './env';
import { getDbHandle } from '../db/client';

// Server start-up (called by server.ts, once): validate the environment, open and migrate the database, and start the
// in-process delivery worker unless WEBHOOK_WORKER=off. This is the only place a server process starts a worker.
export async function boot(): Promise<void> {
  const e = env();
  await getDbHandle();
  if (e.WEBHOOK_WORKER === 'on') {
    const { startEmbeddedWorker } = await import('./delivery/worker');
    startEmbeddedWorker();
  }
}

// Graceful stop: the worker finishes or gives back its attempts, then the database closes.
export async function shutdown(): Promise<void> {
  const { stopEmbeddedWorker } = await import('./delivery/worker');
  await stopEmbeddedWorker();
  const { closeKeyCache } = await import('./api/key-cache');
  await closeKeyCache();
  const handle = await getDbHandle().catch(() => undefined);
  await handle?.close().catch(() => {});
}
