import { UserError } from '@/lib/errors';
import { metrics } from './registry';

// What the worker knows when an attempt ends: whether it succeeded, why not, and how long it took.
type AttemptFacts = { ok: boolean; failureCause?: string; latencyMs: number };

// Counts one finished attempt by outcome and records its duration.
export function observeAttempt(r: AttemptFacts): void {
  const m = metrics();
  m.attempts.inc({ outcome: r.ok ? 'success' : (r.failureCause ?? 'error') });
  m.attemptDuration.observe(Math.max(0, r.latencyMs) / 1000);
}

// Counts the deliveries a write left in a final status (succeeded, failed); pending ones are not final.
export function observeDeliveryStatuses(statuses: readonly string[]): void {
  const m = metrics();
  for (const status of statuses) if (status === 'succeeded' || status === 'failed') m.deliveries.inc({ status });
}

// Tracks an attempt being sent; call the returned function once it ends.
export function attemptInFlight(): () => void {
  const g = metrics().inFlight;
  g.inc();
  let done = false;
  return () => {
    if (!done) g.dec();
    done = true;
  };
}

// Wraps a publish handler: counts the request by result (accepted, refused = an error the caller can fix, error) and
// times it; `events` says how many events an answer accepted (1 for a single publish).
export function countPublish<A extends unknown[], R>(kind: 'single' | 'batch', handler: (...args: A) => Promise<R>, events: (r: R) => number = () => 1) {
  return async (...args: A): Promise<R> => {
    const m = metrics();
    const end = m.publishDuration.startTimer();
    try {
      const r = await handler(...args);
      m.publishRequests.inc({ kind, result: 'accepted' });
      m.eventsPublished.inc(events(r));
      return r;
    } catch (e) {
      const status = (e as { status?: unknown })?.status;
      const refused = e instanceof UserError || (typeof status === 'number' && status < 500);
      m.publishRequests.inc({ kind, result: refused ? 'refused' : 'error' });
      throw e;
    } finally {
      end();
    }
  };
}
