import { spawn } from 'node:child_process';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { newId } from '@/db/ids';
import { attempts, deliveries, endpoints, endpointSecrets, type Endpoint } from '@/db/schema';
import { sealContext, sealHeaders, sealSecret } from '@/lib/crypto';
import { env, setEnv } from '@/lib/env';
import { generateSecret } from '@/lib/signing';
import { selectDeliveries } from '@/lib/delivery/queue';
import { npmScriptArgs } from './npm-script';

// Short delivery settings for integration tests: quick retries and timeouts, loopback receivers allowed.
export function fastDeliveryEnv(schedule: number[] = [0.2, 0.2, 0.2]) {
  return setEnv({
    WEBHOOK_RETRY_SCHEDULE: schedule,
    WEBHOOK_TIMEOUT_MS: 1000,
    WEBHOOK_LEASE_MS: 11_000,
    WEBHOOK_ALLOW_PRIVATE_TARGETS: true,
    WEBHOOK_ENDPOINT_CONCURRENCY: 10,
  });
}

// Endpoint settings a test may set; the rest take the schema's defaults.
export type EndpointSeed = Partial<Pick<Endpoint, 'format' | 'eventTypes' | 'headers' | 'rateLimitPerSecond' | 'enabled'>>;

// Inserts an endpoint with one sealed secret (and its headers sealed), bypassing the URL check (tests aim at 127.0.0.1).
export async function addEndpoint(db: Db, orgId: string, url: string, seed: EndpointSeed = {}): Promise<{ id: string; secret: string }> {
  const id = newId('ep');
  const secret = generateSecret();
  const headers = seed.headers ? sealHeaders(id, seed.headers) : undefined;
  await db.insert(endpoints).values({ id, orgId, url, eventTypes: ['*'], ...seed, ...(headers ? { headers } : {}) });
  await db.insert(endpointSecrets).values({ id: newId('sec'), orgId, endpointId: id, sealed: sealSecret(secret, sealContext.endpointSecret(id)) });
  return { id, secret };
}

// Polls until `check` answers a truthy value (at most `timeoutMs`), returning it.
export async function until<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// The delivery rows of an event (as users see them: status and lease from the queue), and the attempts of a delivery in order.
export const deliveriesOf = (db: Db, eventId: string) => selectDeliveries(db, eq(deliveries.eventId, eventId));
export const attemptsOf = (db: Db, deliveryId: string) =>
  db.select().from(attempts).where(eq(attempts.deliveryId, deliveryId)).orderBy(attempts.number);

// Runs `npm run worker`'s command as a child process on a PostgreSQL database (its node arguments from package.json,
// without npm between, so that a signal reaches the worker itself), with this process's keys and short delivery settings.
export function spawnWorkerProcess(databaseUrl: string, extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, npmScriptArgs('worker'), {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: env().AUTH_SECRET,
      WEBHOOK_ENCRYPTION_KEY: env().WEBHOOK_ENCRYPTION_KEY,
      WEBHOOK_TIMEOUT_MS: '3000',
      WEBHOOK_LEASE_MS: '13000',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_RETRY_SCHEDULE: '0.2,0.2',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (b) => (output += b));
  child.stderr!.on('data', (b) => (output += b));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const started = until(async () => output.includes('started') || child.exitCode !== null, 30_000, 'the worker to start');
  return { child, exited, started, output: () => output };
}
