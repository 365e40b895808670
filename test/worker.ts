import { afterAll, beforeAll } from 'vitest';
import { startWorker, type Worker, type WorkerOptions } from '@/lib/delivery/worker';
import { setEnv, type Env } from '@/lib/env';
import { fastDeliveryEnv } from './delivery';
import { live } from './suite';

// Short delivery settings (fastDeliveryEnv with `schedule`, then `settings`) and a delivery worker running during
// this file's tests.
export function useWorker(schedule: number[], opts: WorkerOptions = {}, settings: Partial<Env> = {}): Worker {
  let worker: Worker | undefined;
  beforeAll(() => {
    fastDeliveryEnv(schedule);
    setEnv(settings);
    worker = startWorker(opts);
  }, 90_000);
  afterAll(async () => {
    await worker?.stop();
  });
  return live(() => worker, 'the worker');
}
