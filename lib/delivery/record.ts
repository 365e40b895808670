import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { env } from '@/lib/env';
import { maskRequestHeaders } from '@/lib/webhooks/endpoint-input';
import { endpointChanges, outcomeOf, type Finished } from './attempt';
import { observeDeliveryStatuses } from '@/lib/metrics/observe';
import { unnamed, type NamedQuery } from '@/db/prepared';
import { disablePolicyParams } from './disable-policy';

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
const clean = (s: string | null | undefined) => (s == null ? null : s.replace(/\u0000/g, ''));

// Writes a batch of finished attempts in one statement: the attempt rows, the deliveries (only those this worker still
// leases; a retry goes back into the queue at its time, a final status leaves it), the endpoints' health counters, and
// the disabling of endpoints as lib/delivery/disable-policy.ts decides (410 Gone, or 5 days of failures).
// Returns the earliest retry it scheduled (ms), if any.
export async function writeResults(db: Db, owner: string, done: readonly Finished[], now: number, query: NamedQuery = unnamed(db)): Promise<number | null> {
  const schedule = env().WEBHOOK_RETRY_SCHEDULE;
  const attemptRows = done.map((f) => ({
    id: f.claimed.attemptId,
    org_id: f.claimed.orgId,
    delivery_id: f.claimed.id,
    number: f.claimed.attempt,
    started_at: iso(f.startedAt),
    finished_at: iso(f.finishedAt),
    request_headers: f.request ? maskRequestHeaders(f.request.headers) : null, // custom header values are secrets
    request_body: f.request?.body ?? null,
    response_status: f.result.status ?? null,
    response_headers: f.result.responseHeaders ?? null,
    response_body: clean(f.result.responseBody),
    latency_ms: Math.round(f.result.latencyMs ?? 0),
    failure_cause: f.result.failureCause ?? null,
    failure_message: clean(f.result.failureMessage),
    tls_version: f.result.tlsVersion ?? null,
    peer_cert_expires_at: f.result.peerCertExpiresAt ? f.result.peerCertExpiresAt.toISOString() : null,
    ...timingColumns(f),
  }));
  let earliestRetry: number | null = null;
  const deliveryRows = done.map((f) => {
    const o = outcomeOf(f.result, f.claimed.step, schedule, f.finishedAt);
    if (o.nextAttemptAt !== null) earliestRetry = Math.min(earliestRetry ?? Infinity, o.nextAttemptAt);
    return {
      id: f.claimed.id,
      status: o.status,
      next_attempt_at: iso(o.nextAttemptAt),
      status_code: f.result.status ?? null,
      latency_ms: Math.round(f.result.latencyMs ?? 0),
      attempt_at: iso(f.startedAt),
      attempts: f.claimed.attempt,
      step: f.claimed.step,
    };
  });
  const changes = endpointChanges(done);
  const policy = disablePolicyParams(now);
  // one statement (atomic without a transaction): attempts, then deliveries this worker still leases, then endpoints
  await query('hookrelay_results', sql`
    with a as (
      -- the attempt's one row, written with its result (a later claim records a lost attempt's row without one, and
      -- a result written after that, by a worker whose lease had run out, fills it in); not for a delivery deleted since
      insert into attempts (id, org_id, delivery_id, number, started_at, finished_at, request_headers, request_body,
        response_status, response_headers, response_body, latency_ms, failure_cause, failure_message, tls_version,
        peer_cert_expires_at, dns_ms, connect_ms, tls_ms, ttfb_ms, connection_reused)
      select r.* from json_to_recordset(${JSON.stringify(attemptRows)}::json) as r(id text, org_id text, delivery_id text,
        number int, started_at timestamptz, finished_at timestamptz,
        request_headers json, request_body text, response_status int, response_headers json, response_body text, latency_ms int,
        failure_cause text, failure_message text, tls_version text, peer_cert_expires_at timestamptz,
        dns_ms real, connect_ms real, tls_ms real, ttfb_ms real, connection_reused boolean)
      where exists (select 1 from deliveries d where d.id = r.delivery_id)
      on conflict (delivery_id, number) do update set started_at = excluded.started_at, finished_at = excluded.finished_at,
        request_headers = excluded.request_headers, request_body = excluded.request_body,
        response_status = excluded.response_status, response_headers = excluded.response_headers,
        response_body = excluded.response_body, latency_ms = excluded.latency_ms, failure_cause = excluded.failure_cause,
        failure_message = excluded.failure_message, tls_version = excluded.tls_version,
        peer_cert_expires_at = excluded.peer_cert_expires_at, dns_ms = excluded.dns_ms, connect_ms = excluded.connect_ms,
        tls_ms = excluded.tls_ms, ttfb_ms = excluded.ttfb_ms, connection_reused = excluded.connection_reused
      returning 1
    ), dr as (
      select * from json_to_recordset(${JSON.stringify(deliveryRows)}::json) as r(id text, status text, next_attempt_at timestamptz,
        status_code int, latency_ms int, attempt_at timestamptz, attempts int, step int)
    ), held as (
      -- only the deliveries this worker still leases for this very attempt (an expired lease may have passed it on),
      -- each looked up by its key (a join here once read the whole queue per write: see openBookkeepingDb)
      select dr.* from dr cross join lateral (
        select 1 from delivery_queue q
        where q.delivery_id = dr.id and q.lease_owner = ${owner} and q.attempts = dr.attempts
        for update of q
      ) l
    ), d as (
      -- the history row changes once per attempt, with its result; a final status takes it out of the queue (trigger)
      update deliveries d set status = h.status, next_attempt_at = h.next_attempt_at, last_status_code = h.status_code,
        last_latency_ms = h.latency_ms, last_attempt_at = h.attempt_at, attempts = h.attempts, schedule_step = h.step,
        lease_owner = null, lease_expires_at = null
      from held h where d.id = h.id
      returning 1
    ), requeued as (
      -- a retry: due at its time, the lease given up
      update delivery_queue q set due_at = h.next_attempt_at, lease_owner = null
      from held h where q.delivery_id = h.id and h.status = 'pending'
      returning 1
    ), r as (
      select * from json_to_recordset(${JSON.stringify(changes)}::json) as r(id text, last_success_at timestamptz, failures int,
        first_failure_at timestamptz, gone boolean, gone_at timestamptz)
    ), locked as (
      -- only endpoints whose row changes (a success on a healthy endpoint moves last_success_at once a second at most),
      -- locked in id order so that two workers' writes cannot deadlock
      select e.id, e.failing_since from endpoints e join r on r.id = e.id
      where r.failures > 0 or e.consecutive_failures <> 0 or e.failing_since is not null or e.last_success_at is null
        or e.last_success_at < r.last_success_at - interval '1 second'
      order by e.id
      for no key update of e
    ), f as (
      select r.*, case when r.last_success_at is null then coalesce(l.failing_since, r.first_failure_at) else r.first_failure_at end as since
      from r join locked l on l.id = r.id
    ), g as (
      -- endpointAfterFailure (disable-policy.ts) with its numbers and words as parameters: gone first, else stale
      select f.*, (not f.gone and f.since < ${policy.disableBefore}::timestamptz) as stale from f
    )
    update endpoints e set
      last_success_at = coalesce(g.last_success_at, e.last_success_at),
      consecutive_failures = case when g.last_success_at is null then e.consecutive_failures + g.failures else g.failures end,
      failing_since = g.since,
      enabled = case when g.gone or g.stale then false else e.enabled end,
      disabled_at = case when e.enabled and g.gone then g.gone_at when e.enabled and g.stale then ${iso(now)}::timestamptz else e.disabled_at end,
      disabled_reason = case
        when e.enabled and g.gone then ${policy.goneReason}::text
        when e.enabled and g.stale then format(${policy.staleReason}::text, to_char(g.since at time zone 'UTC', 'YYYY-MM-DD HH24:MI'))
        else e.disabled_reason end
    from g where e.id = g.id`);
  observeDeliveryStatuses(deliveryRows.map((r) => r.status));
  return earliestRetry;
}

// The attempt's timing columns (null where the sender did not get that far).
function timingColumns(f: Finished) {
  const t = f.result.timings;
  return { dns_ms: t?.dnsMs ?? null, connect_ms: t?.connectMs ?? null, tls_ms: t?.tlsMs ?? null, ttfb_ms: t?.ttfbMs ?? null, connection_reused: t?.reused ?? null };
}

// Group commit for finished attempts: a write starts `gatherMs` after the first result, or as soon as the previous
// write ends, taking everything queued meanwhile. A failed write is retried with backoff for up to `giveUpMs` (within
// the lease), then dropped: the lease expires and the deliveries are attempted again, so nothing is lost.
export class Recorder {
  private queue: Finished[] = [];
  private writing: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly owner: string,
    private readonly opts: {
      now: () => number; giveUpMs: number; gatherMs: number; query?: NamedQuery;
      onWritten?: (earliestRetry: number | null, written: readonly Finished[]) => void; log: (msg: string, err?: unknown) => void;
    },
  ) {}

  // Queues a finished attempt for the next write.
  add(f: Finished): void {
    this.queue.push(f);
    if (!this.writing) this.writing = this.run();
  }

  private async gather(): Promise<void> {
    if (this.opts.gatherMs > 0) await new Promise((r) => setTimeout(r, this.opts.gatherMs));
  }

  // Resolves once every queued attempt was written (or given up on).
  async drain(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async run(): Promise<void> {
    try {
      await this.gather(); // let attempts finishing together share one write
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, 500);
        await this.writeWithRetry(batch);
      }
    } finally {
      this.writing = null;
    }
  }

  private async writeWithRetry(batch: Finished[]): Promise<void> {
    const deadline = this.opts.now() + this.opts.giveUpMs;
    let delay = 100;
    for (;;) {
      try {
        this.opts.onWritten?.(await writeResults(this.db, this.owner, batch, this.opts.now(), this.opts.query), batch);
        return;
      } catch (err) {
        // a row the database refuses (data or integrity error) must not sink the others: write them one by one
        if (isDataError(err) && batch.length > 1) {
          for (const f of batch) await this.writeWithRetry([f]);
          return;
        }
        if (isDataError(err) || this.opts.now() + delay > deadline) {
          this.opts.log(`could not record ${batch.length} attempt(s); their deliveries are attempted again after the lease`, err);
          return;
        }
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 2000);
      }
    }
  }
}

// SQLSTATE classes 22 (data exception) and 23 (integrity violation): retrying the same rows cannot help.
function isDataError(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (typeof e.code === 'string' && /^(22|23)/.test(e.code)) return true;
  }
  return false;
}
