// `npm run worker`: a delivery worker process for server mode; any number of them may share one PostgreSQL database.
import { getDbHandle } from '@/lib/db';
import { resealStored } from '@/lib/crypto/reseal';
import { env, EnvError, type Env } from '@/lib/env';
import { startMetricsServer } from '@/lib/metrics/http';
import { EMBEDDED_REFUSAL, startWorker, type Worker } from './worker';
import { startRetentionJob } from './retention';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main(): Promise<void> {
  let e: Env;
  try {
    e = env();
  } catch (err) {
    if (err instanceof EnvError) fail(err.message);
    throw err;
  }
  if (e.mode === 'embedded') fail(EMBEDDED_REFUSAL);
  await resealStored((await getDbHandle()).db); // as the server does at start: what an older version sealed opens again
  let worker: Worker;
  try {
    worker = startWorker();
  } catch (err) {
    fail((err as Error).message);
  }
  const retention = startRetentionJob(); // purges history older than WEBHOOK_RETENTION_DAYS every few minutes
  console.log(`hookrelay worker ${worker.id} started (lease ${e.WEBHOOK_LEASE_MS} ms, timeout ${e.WEBHOOK_TIMEOUT_MS} ms, retention ${e.WEBHOOK_RETENTION_DAYS} days)`);
  let metricsServer: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
  if (e.WORKER_METRICS_PORT) {
    try {
      metricsServer = await startMetricsServer({ host: e.HOST, port: e.WORKER_METRICS_PORT });
    } catch (err) {
      await worker.stop();
      fail(`cannot serve metrics on ${e.HOST}:${e.WORKER_METRICS_PORT} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); free the port or change WORKER_METRICS_PORT.`);
    }
    const note = e.METRICS_TOKEN ? '' : ' — METRICS_TOKEN is unset, so it answers 404 until you set it';
    console.log(`metrics on http://${e.HOST}:${metricsServer.port}/metrics${note}`);
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: no new claims; finishing the attempts under way`);
    await worker.stop();
    await metricsServer?.close();
    await retention.stop();
    const handle = await getDbHandle().catch(() => undefined);
    await handle?.close().catch(() => {});
    console.log('hookrelay worker stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

void main();
