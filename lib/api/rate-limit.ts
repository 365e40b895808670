import { env } from '@/lib/env';

// Requests per API key per minute, counted in this process (a fixed one-minute window per key).
// Each server process counts on its own, so N processes behind a balancer allow up to N × the limit;
// the counts are lost on restart. Enough to stop a runaway client; not a billing meter.
const WINDOW_MS = 60_000;
const windows = new Map<string, { start: number; count: number }>();
let lastSweep = 0;

export type RateDecision = { ok: true; limit: number; remaining: number; resetSeconds: number } | { ok: false; limit: number; retryAfterSeconds: number };

// Counts one request of a key and says whether it may proceed.
export function takeRequest(keyId: string, now = Date.now(), limit = env().API_RATE_LIMIT_PER_MINUTE): RateDecision {
  sweep(now);
  let w = windows.get(keyId);
  if (!w || now - w.start >= WINDOW_MS) {
    w = { start: now, count: 0 };
    windows.set(keyId, w);
  }
  const resetSeconds = Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
  if (w.count >= limit) return { ok: false, limit, retryAfterSeconds: resetSeconds };
  w.count += 1;
  return { ok: true, limit, remaining: limit - w.count, resetSeconds };
}

// Forgets every count (tests).
export function resetRateLimits(): void {
  windows.clear();
}

// Drops windows that ended, at most once a minute, so idle keys hold no memory.
function sweep(now: number) {
  if (now - lastSweep < WINDOW_MS) return;
  lastSweep = now;
  for (const [id, w] of windows) if (now - w.start >= WINDOW_MS) windows.delete(id);
}
