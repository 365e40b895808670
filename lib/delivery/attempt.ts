import { encodeBody, signatureHeaders } from '@/lib/signing';
import type { Claimed } from './claim';
import { sendableCustomHeaders } from './headers';
import { honoursRetryAfter, nextDelay } from './retry';
import type { AttemptResult } from './sender';

// The request of one attempt, as sent and as recorded.
export type OutgoingRequest = { url: string; headers: Record<string, string>; body: string };

// Builds the signed request of one attempt: the body in the endpoint's format (timestamp = the event's creation),
// the endpoint's custom headers, JSON content type, and the signatures with webhook-timestamp = this attempt's second.
export function buildRequest(c: Claimed, secrets: readonly string[], nowMs: number): OutgoingRequest {
  if (secrets.length === 0) throw new Error('The endpoint has no live signing secret; rotate its secret to issue a new one.');
  const body = encodeBody(c.format, { id: c.eventId, type: c.type, timestamp: new Date(c.eventAt), data: JSON.parse(c.data) });
  const signed = signatureHeaders({ format: c.format, secrets: [...secrets], id: c.eventId, timestamp: Math.floor(nowMs / 1000), body });
  const headers = sendableCustomHeaders(c.headers);
  headers['content-type'] = 'application/json';
  Object.assign(headers, signed);
  return { url: c.url, headers, body };
}

// What an attempt leaves on its delivery: delivered, due again later, or failed for good.
export type DeliveryOutcome = { status: 'succeeded' | 'pending' | 'failed'; nextAttemptAt: number | null };

// The delivery's state after an attempt: a 2xx succeeds; a failure is retried on the schedule (Retry-After honoured
// on 429 and 503) until the run's steps are spent. `step` is the attempt's 1-based number in the run.
export function outcomeOf(result: AttemptResult, step: number, schedule: readonly number[], finishedAt: number, random?: () => number): DeliveryOutcome {
  if (result.ok) return { status: 'succeeded', nextAttemptAt: null };
  const delay = nextDelay(step - 1, schedule, {
    retryAfterSeconds: honoursRetryAfter(result.status) ? result.retryAfterSeconds : undefined,
    random,
  });
  return delay === null ? { status: 'failed', nextAttemptAt: null } : { status: 'pending', nextAttemptAt: finishedAt + delay };
}

// One finished attempt, ready to be written.
export type Finished = { claimed: Claimed; request: OutgoingRequest | null; result: AttemptResult; startedAt: number; finishedAt: number };

// The change one batch of attempts makes to an endpoint's health counters.
export type EndpointChange = {
  id: string;
  last_success_at: string | null;
  failures: number;
  first_failure_at: string | null;
  gone: boolean;
  gone_at: string | null;
};

// Folds a batch's attempts, in the order they finished, into one change per endpoint: the failures after the last
// success (and when that run started), the last success, and whether the endpoint answered 410 Gone.
export function endpointChanges(done: readonly Finished[]): EndpointChange[] {
  const byEndpoint = new Map<string, EndpointChange>();
  const sorted = [...done].sort((a, b) => a.finishedAt - b.finishedAt);
  for (const f of sorted) {
    const id = f.claimed.endpointId;
    let ch = byEndpoint.get(id);
    if (!ch) byEndpoint.set(id, (ch = { id, last_success_at: null, failures: 0, first_failure_at: null, gone: false, gone_at: null }));
    const at = new Date(f.finishedAt).toISOString();
    if (f.result.ok) {
      ch.last_success_at = at;
      ch.failures = 0;
      ch.first_failure_at = null;
    } else {
      ch.failures++;
      ch.first_failure_at ??= at;
      if (f.result.status === 410 && !ch.gone) {
        ch.gone = true;
        ch.gone_at = at;
      }
    }
  }
  return [...byEndpoint.values()];
}
