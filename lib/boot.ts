import { env } from './env';
import { getDbHandle } from '../db/client';

// Server start-up: validate the environment, open and migrate the database, start the in-process worker.
export async function boot(): Promise<void> {
  const e = env();
  await getDbHandle();
  if (e.WEBHOOK_WORKER === 'on') {
    const { startEmbeddedWorker } = await import('./delivery/worker');
    startEmbeddedWorker();
  }
}
