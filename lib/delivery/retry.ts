// Retry timing after a failed attempt: the schedule's delay with ±20 % jitter, or the receiver's Retry-After kept within bounds.
export type DelayOptions = {
  /** Seconds from a `Retry-After` header; pass it only for 429 and 503 answers. */
  retryAfterSeconds?: number;
  /** A number in [0, 1) for the jitter; Math.random by default. */
  random?: () => number;
};

// Milliseconds until the next attempt after the failed attempt `step` of a run (0 = the run's first attempt),
// or null when the schedule is spent and the delivery has failed. Retry-After is honoured within [delay, 2 × delay].
export function nextDelay(step: number, schedule: readonly number[], opts: DelayOptions = {}): number | null {
  if (!Number.isInteger(step) || step < 0 || step >= schedule.length) return null;
  const base = schedule[step]! * 1000;
  const after = opts.retryAfterSeconds;
  if (after !== undefined && Number.isFinite(after) && after >= 0) {
    return Math.round(Math.min(Math.max(after * 1000, base), 2 * base));
  }
  const r = Math.min(Math.max((opts.random ?? Math.random)(), 0), 1);
  return Math.round(base * (0.8 + 0.4 * r));
}

// Whether an answer's Retry-After header should be honoured (Too Many Requests, Service Unavailable).
export function honoursRetryAfter(status: number | undefined): boolean {
  return status === 429 || status === 503;
}

// The schedule step a plain replay sets: its attempt is then past any schedule's end, so a failure leaves the delivery
// failed with no retry (one attempt, as Stripe's and Svix's resend). A replay "on schedule" sets 0 instead.
export const ONE_ATTEMPT_RUN = 1_000_000;

// Whether a delivery's current run is a plain replay's single attempt (no retries follow a failure).
export function isOneAttemptRun(scheduleStep: number): boolean {
  return scheduleStep >= ONE_ATTEMPT_RUN;
}
