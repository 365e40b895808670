import { hostname } from 'node:os';
import { processJob } from '@/lib/process-job';
import { randomBytes } from 'node:crypto';
import type { Db, DbHandle } from '@/db/client';
import { getDbHandle } from '@/lib/db';
import { env } from '@/lib/env';
import { createSender, type AttemptResult, type Sender } from './sender';
import { EndpointGates } from './fairness';
import { claimDue, releaseClaims, type Claimed } from './claim';
import { buildRequest, type OutgoingRequest } from './attempt';
import { Recorder } from './record';
import { listenForWork, onWork } from './wake';
import { openBookkeepingDb } from './bookkeeping-db';
import { attemptInFlight, observeAttempt } from '@/lib/metrics/observe';
import { startAlertRunner } from '@/lib/alerts/runner';
import type { SendMail } from '@/lib/alerts/mailer';

// Settings of a worker; everything else comes from env() (timeout, lease, per-endpoint concurrency, retry schedule).
export type WorkerOptions = {
  id?: string;
  /** Deliveries claimed per query (default 100). */
  batchSize?: number;
  /** Attempts in flight in this worker over all endpoints (default 10 × batchSize). */
  maxInFlight?: number;
  sender?: Sender;
  now?: () => number;
  /** Longest sleep between claims when no signal comes (default 1000 ms). */
  pollMs?: number;
  /** Pause after a claim that found less than a full batch before claiming for freed slots (15 ms; 20 on PGlite). */
  claimGapMs?: number;
  log?: (msg: string, err?: unknown) => void;
  /** Alerts (lib/alerts): how often to scan for endpoint state changes and due emails (10 s), and the mailer (SMTP_URL). */
  alertScanMs?: number;
  mailer?: SendMail | null;
};

// A running worker; stop() stops claiming, finishes the attempts under way, gives back the unstarted ones, and records all.
export type Worker = { id: string; stop(): Promise<void> };

// What `npm run worker` says without DATABASE_URL.
export const EMBEDDED_REFUSAL = 'npm run worker needs DATABASE_URL; in embedded mode the worker runs inside npm start';

// The lease must outlast an attempt by this much, or another worker could take a delivery still being sent.
export const LEASE_MARGIN_MS = 10_000;

// Starts a delivery worker on the process's database: claims due deliveries under a lease, signs and sends them with
// per-endpoint caps, records every attempt and schedules retries. Throws at once when the lease is too short.
export function startWorker(opts: WorkerOptions = {}): Worker {
  const e = env();
  if (e.WEBHOOK_LEASE_MS < e.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS) {
    throw new Error(
      `WEBHOOK_LEASE_MS (${e.WEBHOOK_LEASE_MS}) must exceed WEBHOOK_TIMEOUT_MS (${e.WEBHOOK_TIMEOUT_MS}) by at least ${LEASE_MARGIN_MS}; the worker will not start.`,
    );
  }
  const id = opts.id ?? `wrk_${hostname()}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const now = opts.now ?? Date.now;
  const batchSize = Math.max(1, opts.batchSize ?? 100);
  const maxInFlight = Math.max(batchSize, opts.maxInFlight ?? batchSize * 10);
  const pollMs = opts.pollMs ?? 1000;
  const log = opts.log ?? ((msg: string, err?: unknown) => console.error(`[hookrelay worker ${id}] ${msg}`, err ?? ''));
  const sender = opts.sender ?? createSender({ timeoutMs: e.WEBHOOK_TIMEOUT_MS, allowPrivate: e.WEBHOOK_ALLOW_PRIVATE_TARGETS });
  const gates = new EndpointGates(e.WEBHOOK_ENDPOINT_CONCURRENCY, now, e.WEBHOOK_ORG_CONCURRENCY);
  const wake = new Wakeup(); // any reason to claim again: new work, a freed slot, a retry scheduled, stop()
  const newWork = new Wakeup(); // new work only: it also cuts the pause that batches claims for freed slots
  const workArrived = () => (newWork.kick(), wake.kick());
  const tasks = new Set<Promise<void>>();
  let inFlight = 0;
  let stopping = false;

  // Endpoints and organizations whose gate limited the last claim, and whether the worker's own cap did: a finish
  // there frees work.
  let limitedBy = new Set<string>();
  let roomLimited = false;
  const finishOne = (c: Claimed, result?: AttemptResult) => {
    gates.finish(c.endpointId, c.orgId, result && { timedOut: result.failureCause === 'timeout' });
    inFlight--;
    if (roomLimited || limitedBy.has(c.endpointId) || limitedBy.has(c.orgId)) wake.kick();
  };

  const attemptOne = async (c: Claimed, secrets: readonly string[], recorder: Recorder) => {
    const startedAt = now();
    const sent = attemptInFlight();
    let request: OutgoingRequest | null = null;
    let result: AttemptResult;
    try {
      request = buildRequest(c, secrets, startedAt);
      result = await sender.send(request);
    } catch (err) {
      const msg = (err as Error)?.message ?? String(err);
      result = { ok: false, latencyMs: Math.max(0, now() - startedAt), failureMessage: request ? `The attempt failed inside Hookrelay: ${msg}` : msg };
    }
    sent();
    observeAttempt(result);
    const finishedAt = now();
    finishOne(c, result);
    recorder.add({ claimed: c, request, result, startedAt, finishedAt });
  };

  const giveBack = async (db: Db, items: Claimed[]) => {
    for (const c of items) finishOne(c);
    await releaseClaims(db, id, items).catch((err) => log('could not give deliveries back; their lease will expire', err));
  };

  const dispatch = (db: Db, recorder: Recorder, claimed: Claimed[]) => {
    inFlight += claimed.length;
    for (const c of claimed) gates.start(c.endpointId, c.rateLimitPerSecond, c.orgId);
    // claimed while stop() was called: not started, so pending again at once rather than after the lease
    const task = stopping ? giveBack(db, claimed) : Promise.all(claimed.map((c) => attemptOne(c, c.secrets, recorder))).then(() => {});
    tasks.add(task);
    void task.finally(() => tasks.delete(task));
  };

  const run = async () => {
    let handle: DbHandle | undefined;
    for (let backoff = 100; !handle && !stopping; backoff = Math.min(backoff * 2, 5000)) {
      try {
        handle = await getDbHandle();
      } catch (err) {
        log(`database not reachable; retrying in ${backoff} ms`, err);
        await wake.sleep(backoff);
      }
    }
    if (!handle) return;
    const books = await openBookkeepingDb(handle);
    const db = books.db;
    // PGlite runs every statement of the process one after another: fewer, larger claims and writes pay off more there
    // (15 ms rather than 5 on PostgreSQL: bench:api at 1,000 events/s to one endpoint, publish → arrival p99 348-536 ms
    // at 5, 276-284 at 15, 228-392 at 25; a claim's cost is mostly per statement, so fewer, larger claims keep up better).
    // Measured again with PGlite on its own thread (db/pglite-thread.ts): 15/5 ms gave the same figures as 20/20.
    const claimGapMs = Math.max(0, opts.claimGapMs ?? (handle.kind === 'pglite' ? 20 : 15));
    const alertRunner = startAlertRunner(handle.db, { now, log, intervalMs: opts.alertScanMs, mailer: opts.mailer });
    const recorder = new Recorder(db, id, {
      now,
      giveUpMs: e.WEBHOOK_LEASE_MS - e.WEBHOOK_TIMEOUT_MS,
      gatherMs: handle.kind === 'pglite' ? 20 : 5,
      query: books.query,
      onWritten: (retryAt, written) => {
        if (retryAt !== null) wake.kick();
        alertRunner.afterWrite(written.map((f) => ({ deliveryId: f.claimed.id, attemptId: f.claimed.attemptId, ok: f.result.ok })));
      },
      log,
    });
    const unsubscribe = onWork(workArrived);
    const listener = handle.kind === 'postgres' && handle.pool ? listenForWork(handle.pool, workArrived, log) : undefined;
    let backoff = 0;
    try {
      while (!stopping) {
        wake.reset();
        newWork.reset();
        try {
          const gateSnap = gates.snapshot();
          const limit = Math.min(batchSize, maxInFlight - inFlight);
          limitedBy = new Set([
            ...gateSnap.blocked,
            ...gateSnap.allow.map((a) => a.endpoint_id),
            ...gateSnap.blockedOrgs,
            ...gateSnap.orgAllow.map((a) => a.org_id),
          ]);
          roomLimited = limit < batchSize;
          const at = now();
          const { claimed, nextDueAt, more } =
            limit > 0
              ? await claimDue(db, {
                  owner: id,
                  limit,
                  cap: e.WEBHOOK_ENDPOINT_CONCURRENCY,
                  orgCap: e.WEBHOOK_ORG_CONCURRENCY,
                  leaseMs: e.WEBHOOK_LEASE_MS,
                  now: at,
                  gates: gateSnap,
                }, books.query)
              : { claimed: [], nextDueAt: null, more: false };
          if (claimed.length > 0) {
            dispatch(db, recorder, claimed);
            // the endpoints and organizations this claim filled to their cap: the claim left their due rows behind
            // (not counted in `more`), so a finish there must wake the loop, or a backlog drains one claim per poll
            const after = gates.snapshot();
            for (const id of [...after.blocked, ...after.blockedOrgs]) limitedBy.add(id);
          }
          backoff = 0;
          if (stopping || (limit > 0 && (claimed.length === limit || more))) continue;
          let wait = pollMs;
          if (nextDueAt !== null) wait = Math.min(wait, Math.max(0, nextDueAt - now()));
          if (gateSnap.nextRefillMs !== null) wait = Math.min(wait, gateSnap.nextRefillMs);
          // a short pause even when a slot frees, so that attempts finishing one by one are claimed for in batches
          await newWork.sleep(Math.min(claimGapMs, wait));
          await wake.sleep(wait - claimGapMs);
        } catch (err) {
          backoff = Math.min(Math.max(backoff * 2, 100), 5000);
          log(`claiming failed; retrying in ${backoff} ms`, err);
          await wake.sleep(backoff);
        }
      }
    } finally {
      unsubscribe();
      while (tasks.size > 0) await Promise.all([...tasks]);
      await recorder.drain();
      await alertRunner.stop();
      await listener?.close();
      await books.close().catch(() => {});
    }
  };

  const loop = run()
    .catch((err) => log('worker stopped on an error', err))
    .finally(() => (opts.sender ? undefined : sender.close().catch(() => {})));
  return {
    id,
    async stop() {
      stopping = true;
      workArrived();
      await loop;
    },
  };
}

// A sleep that a signal cuts short; a signal given while awake makes the next sleep return at once.
class Wakeup {
  private kicked = false;
  private wakeSleeper: (() => void) | null = null;

  kick(): void {
    this.kicked = true;
    this.wakeSleeper?.();
  }

  reset(): void {
    this.kicked = false;
  }

  sleep(ms: number): Promise<void> {
    if (this.kicked || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeSleeper = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleeper = done;
    });
  }
}

const embedded = processJob('__hookrelayWorker', () => startWorker());

// Starts this process's in-process worker once (boot() calls it when WEBHOOK_WORKER=on); later calls return it.
export const startEmbeddedWorker: () => Worker = embedded.start;

// Stops the in-process worker, if one runs (tests, shutdown).
export const stopEmbeddedWorker: () => Promise<void> = embedded.stop;
