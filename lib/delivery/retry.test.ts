import { describe, expect, it } from 'vitest';
import { honoursRetryAfter, nextDelay } from './retry';

const SCHEDULE = [5, 300, 1800, 7200, 18000, 36000, 36000];

describe('nextDelay', () => {
  it('follows the schedule, step by step, and ends after the last step', () => {
    const mid = () => 0.5;
    expect(SCHEDULE.map((_, i) => nextDelay(i, SCHEDULE, { random: mid }))).toEqual(SCHEDULE.map((s) => s * 1000));
    expect(nextDelay(SCHEDULE.length, SCHEDULE)).toBeNull();
    expect(nextDelay(-1, SCHEDULE)).toBeNull();
    expect(nextDelay(0, [])).toBeNull();
  });

  it('adds at most ±20 % jitter', () => {
    expect(nextDelay(1, SCHEDULE, { random: () => 0 })).toBe(240_000);
    expect(nextDelay(1, SCHEDULE, { random: () => 0.999999 })).toBe(360_000);
    for (let i = 0; i < 200; i++) {
      const d = nextDelay(0, SCHEDULE)!;
      expect(d).toBeGreaterThanOrEqual(4000);
      expect(d).toBeLessThanOrEqual(6000);
    }
  });

  it('honours Retry-After within [delay, 2 × delay]', () => {
    expect(nextDelay(1, SCHEDULE, { retryAfterSeconds: 400 })).toBe(400_000);
    expect(nextDelay(1, SCHEDULE, { retryAfterSeconds: 1 })).toBe(300_000);
    expect(nextDelay(1, SCHEDULE, { retryAfterSeconds: 86_400 })).toBe(600_000);
    expect(nextDelay(1, SCHEDULE, { retryAfterSeconds: Number.NaN, random: () => 0.5 })).toBe(300_000);
    expect(nextDelay(7, SCHEDULE, { retryAfterSeconds: 10 })).toBeNull();
  });

  it('honours Retry-After only on 429 and 503', () => {
    expect([429, 503, 500, 200, undefined].map(honoursRetryAfter)).toEqual([true, true, false, false, false]);
  });
});
