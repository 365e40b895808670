import { env } from '@/lib/env';

// Limits on guessing passwords and on making accounts, counted in this process's memory: right for the one Next
// server that serves sign-in and sign-up (the README says so); a restart forgets them.

export const FAILED_SIGNIN_WINDOW_MS = 15 * 60 * 1000;
export const SIGNUP_WINDOW_MS = 60 * 60 * 1000;
// Failures allowed per client address are this many times those allowed per email.
export const IP_FACTOR = 5;
const MAX_KEYS = 100_000;

// A sliding window per key: the times of the last `limit` events.
export class SlidingLimiter {
  private events = new Map<string, number[]>();

  constructor(private windowMs: number) {}

  // When the key may act again (ms from now), or 0 when it is under `limit` events in the window.
  retryAfter(key: string, limit: number, now = Date.now()): number {
    const times = this.live(key, now);
    return times.length >= limit ? times[times.length - limit]! + this.windowMs - now : 0;
  }

  record(key: string, limit: number, now = Date.now()): void {
    const times = this.live(key, now);
    times.push(now);
    if (times.length > limit) times.splice(0, times.length - limit);
    this.events.delete(key);
    this.events.set(key, times);
    if (this.events.size > MAX_KEYS) this.sweep(now);
  }

  clear(key: string): void {
    this.events.delete(key);
  }

  private live(key: string, now: number): number[] {
    const times = this.events.get(key) ?? [];
    while (times.length && times[0]! <= now - this.windowMs) times.shift();
    return times;
  }

  // Drops expired keys, then the least recently used ones while still over the cap.
  private sweep(now: number): void {
    for (const [key, times] of this.events) if (!times.length || times[times.length - 1]! <= now - this.windowMs) this.events.delete(key);
    for (const key of this.events.keys()) {
      if (this.events.size <= MAX_KEYS * 0.9) break;
      this.events.delete(key);
    }
  }
}

const shared = globalThis as unknown as { __hookrelayAuthLimits?: { byEmail: SlidingLimiter; byIp: SlidingLimiter; signUps: SlidingLimiter } };
function limiters() {
  return (shared.__hookrelayAuthLimits ??= {
    byEmail: new SlidingLimiter(FAILED_SIGNIN_WINDOW_MS),
    byIp: new SlidingLimiter(FAILED_SIGNIN_WINDOW_MS),
    signUps: new SlidingLimiter(SIGNUP_WINDOW_MS),
  });
}

// Forgets every count (tests).
export function resetAuthLimits(): void {
  shared.__hookrelayAuthLimits = undefined;
}

// A refusal a person can act on: what happened and when to try again.
export type Refusal = { message: string; retryAfterSeconds: number };

function inMinutes(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  return `Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

const emailKey = (email: string) => email.trim().toLowerCase();

// Whether a sign-in for this email from this address may be tried now (before the password is checked).
export function signInRefusal(email: string, ip: string, limit = env().AUTH_FAILED_SIGNIN_LIMIT, now = Date.now()): Refusal | undefined {
  const l = limiters();
  const byEmail = l.byEmail.retryAfter(emailKey(email), limit, now);
  if (byEmail > 0) return { message: `Too many failed sign-ins for this email. ${inMinutes(byEmail)}`, retryAfterSeconds: Math.ceil(byEmail / 1000) };
  const byIp = l.byIp.retryAfter(ip, limit * IP_FACTOR, now);
  if (byIp > 0) return { message: `Too many failed sign-ins from your network. ${inMinutes(byIp)}`, retryAfterSeconds: Math.ceil(byIp / 1000) };
  return undefined;
}

// Counts a wrong password (or unknown email) against the email and the address.
export function recordFailedSignIn(email: string, ip: string, limit = env().AUTH_FAILED_SIGNIN_LIMIT, now = Date.now()): void {
  const l = limiters();
  l.byEmail.record(emailKey(email), limit, now);
  l.byIp.record(ip, limit * IP_FACTOR, now);
}

// A successful sign-in clears the email's failures (not the address's).
export function clearFailedSignIns(email: string): void {
  limiters().byEmail.clear(emailKey(email));
}

// Whether this address may make another account now.
export function signUpRefusal(ip: string, limit = env().AUTH_SIGNUP_LIMIT, now = Date.now()): Refusal | undefined {
  const wait = limiters().signUps.retryAfter(ip, limit, now);
  return wait > 0 ? { message: `Too many sign-ups from your network. ${inMinutes(wait)}`, retryAfterSeconds: Math.ceil(wait / 1000) } : undefined;
}

// Counts an account made from this address.
export function recordSignUp(ip: string, limit = env().AUTH_SIGNUP_LIMIT, now = Date.now()): void {
  limiters().signUps.record(ip, limit, now);
}
