// When Hookrelay disables an endpoint on its own (svix names this process_endpoint_failure): at the first 410 Gone
// answer, or when a failure finds that no delivery has succeeded for 5 days. A member's Disable is not this policy.
// No imports, so the dashboard shows the same deadline the worker applies.

// How long an endpoint may fail without a success before it is disabled.
export const DISABLE_AFTER_MS = 5 * 24 * 3600 * 1000;
// The disabled reason of an endpoint that answered 410 Gone.
export const GONE_REASON = 'The endpoint answered 410 Gone';
// The disabled reason of an endpoint that failed for 5 days; %s is when it started failing ("2026-12-02 14:05").
export const STALE_REASON = 'No delivery has succeeded for 5 days (failing since %s UTC)';

// An endpoint as a batch of attempts leaves it: whether it was enabled, since when it has failed without a success
// (null when its last attempt succeeded), and when it first answered 410 Gone in the batch (null if it did not).
export type EndpointAfterBatch = { enabled: boolean; failingSince: Date | null; goneAt: Date | null };
// What the policy decides: nothing, or disable with this time and reason.
export type Disabling = { disabledAt: Date; reason: string } | null;

// The disabling an endpoint's batch of results brings about at `now`, if any. An endpoint already disabled keeps
// its own time and reason.
export function endpointAfterFailure(e: EndpointAfterBatch, now: number): Disabling {
  if (!e.enabled) return null;
  if (e.goneAt) return { disabledAt: e.goneAt, reason: GONE_REASON };
  if (e.failingSince && e.failingSince.getTime() < now - DISABLE_AFTER_MS) return { disabledAt: new Date(now), reason: staleReason(e.failingSince) };
  return null;
}

// The reason of an endpoint disabled for failing since `since`, to the minute in UTC.
export function staleReason(since: Date): string {
  return STALE_REASON.replace('%s', since.toISOString().slice(0, 16).replace('T', ' '));
}

// When an endpoint failing since `failingSince` will be disabled if nothing succeeds before.
export function disableDeadline(failingSince: Date | string): Date {
  return new Date(new Date(failingSince).getTime() + DISABLE_AFTER_MS);
}

// The policy as parameters of the worker's result write (lib/delivery/record.ts), which applies it in the same
// statement that moves failing_since, since only that statement knows the stored value under its row lock: one round
// trip on the hot path. It decides as endpointAfterFailure does (disable-policy.test.ts; worker.int.test.ts checks the
// statement's results for 410 Gone and for 5 days of failures).
export function disablePolicyParams(now: number): { disableBefore: string; goneReason: string; staleReason: string } {
  return { disableBefore: new Date(now - DISABLE_AFTER_MS).toISOString(), goneReason: GONE_REASON, staleReason: STALE_REASON };
}
