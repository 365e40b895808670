import { sql } from 'drizzle-orm';
import { processJob } from '@/lib/process-job';
import { queryRows, type Db } from '@/db/client';
import { getDbHandle } from '@/lib/db';
import { newId } from '@/db/ids';
import { retentionDays } from '@/lib/env';

export { retentionDays };

const DAY_MS = 86_400_000;
/** Deliveries (with their attempts) or events one purge statement deletes at most. */
export const PURGE_BATCH = 1000;
/** How often a running server or worker purges. */
export const PURGE_INTERVAL_MS = 5 * 60_000;

// What one purge deleted.
export type PurgeResult = { deliveries: number; attempts: number; events: number };

export type PurgeOptions = { now?: number; days?: number; batch?: number; /** stop starting batches after this long */ budgetMs?: number };

// Deletes the history older than the retention (WEBHOOK_RETENTION_DAYS): finished deliveries (succeeded, failed,
// skipped) whose last attempt — or creation, if never attempted — is older, with their attempts, then events older
// than that with no delivery left. A delivery still pending or delivering is never deleted, nor its event. Each
// statement takes at most `batch` deliveries or events, oldest first, skipping rows another transaction holds, so it
// never holds many locks for long; the purge is the only thing that ever deletes a delivery (deleting an endpoint
// aside, which takes its history with it).
export async function purgeExpired(db: Db, opts: PurgeOptions = {}): Promise<PurgeResult> {
  const now = opts.now ?? Date.now();
  const cutoff = now - (opts.days ?? retentionDays()) * DAY_MS;
  const at = new Date(cutoff).toISOString();
  // ids begin with their creation time: everything made before the cutoff sorts below these prefixes (primary-key range)
  const dlvBefore = newId('dlv', cutoff).slice(0, 14);
  const evtBefore = newId('evt', cutoff).slice(0, 14);
  const batch = Math.max(1, Math.floor(opts.batch ?? PURGE_BATCH));
  const deadline = opts.budgetMs === undefined ? Infinity : Date.now() + opts.budgetMs;
  const out: PurgeResult = { deliveries: 0, attempts: 0, events: 0 };

  for (;;) {
    const [r] = await queryRows<{ deliveries: number; attempts: number }>(db, sql`
      with doomed as (
        select d.id from deliveries d
        where d.id < ${dlvBefore} and d.status in ('succeeded', 'failed', 'skipped')
          and coalesce(d.last_attempt_at, d.created_at) < ${at}::timestamptz
        order by d.id
        limit ${batch}
        for update skip locked
      ), gone_attempts as (
        delete from attempts a where a.delivery_id in (select id from doomed) returning 1
      ), gone as (
        delete from deliveries d where d.id in (select id from doomed) returning 1
      )
      select (select count(*) from gone)::int as deliveries, (select count(*) from gone_attempts)::int as attempts`);
    out.deliveries += Number(r?.deliveries ?? 0);
    out.attempts += Number(r?.attempts ?? 0);
    if (Number(r?.deliveries ?? 0) < batch || Date.now() > deadline) break;
  }
  for (;;) {
    const [r] = await queryRows<{ events: number }>(db, sql`
      with gone as (
        delete from events ev where ev.id in (
          select e.id from events e
          where e.id < ${evtBefore} and e.created_at < ${at}::timestamptz
            and not exists (select 1 from deliveries d where d.event_id = e.id)
          order by e.id
          limit ${batch}
          for update skip locked
        ) returning 1
      )
      select count(*)::int as events from gone`);
    out.events += Number(r?.events ?? 0);
    if (Number(r?.events ?? 0) < batch || Date.now() > deadline) break;
  }
  return out;
}

export type RetentionJob = { stop(): Promise<void> };

// Purges every PURGE_INTERVAL_MS (the first time a little after start) on the process's database, for at most 30 s
// each time; several processes may run it at once (each skips the rows another holds). Started beside every worker.
export function startRetentionJob(opts: { intervalMs?: number; firstDelayMs?: number; log?: (msg: string, err?: unknown) => void } = {}): RetentionJob {
  const interval = opts.intervalMs ?? PURGE_INTERVAL_MS;
  const log = opts.log ?? ((msg: string, err?: unknown) => (err ? console.error(`[hookrelay retention] ${msg}`, err) : console.log(`[hookrelay retention] ${msg}`)));
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    running = (async () => {
      try {
        const { db } = await getDbHandle();
        const r = await purgeExpired(db, { budgetMs: 30_000 });
        if (r.deliveries || r.events) {
          log(`purged ${r.deliveries} deliveries, ${r.attempts} attempts and ${r.events} events older than ${retentionDays()} days`);
        }
      } catch (err) {
        log('purge failed; it runs again later', err);
      }
      if (!stopped) schedule(interval);
    })();
  };
  const schedule = (ms: number) => {
    timer = setTimeout(tick, ms);
    timer.unref?.();
  };
  schedule(opts.firstDelayMs ?? 30_000);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

const embedded = processJob('__hookrelayRetention', () => startRetentionJob());

// Starts this process's retention job once (boot() does, beside the worker); later calls return it.
export const startEmbeddedRetention: () => RetentionJob = embedded.start;

// Stops this process's retention job, if one runs.
export const stopEmbeddedRetention: () => Promise<void> = embedded.stop;
