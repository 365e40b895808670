import { afterEach, describe, expect, it } from 'vitest';
import { resetRateLimits, takeRequest } from './rate-limit';

afterEach(() => resetRateLimits());

describe('per-key rate limit', () => {
  it('allows the limit in a minute, then refuses with the seconds left in the window', () => {
    const t0 = 1_000_000;
    expect(takeRequest('key_a', t0, 3)).toEqual({ ok: true, limit: 3, remaining: 2, resetSeconds: 60 });
    expect(takeRequest('key_a', t0 + 1000, 3)).toMatchObject({ ok: true, remaining: 1 });
    expect(takeRequest('key_a', t0 + 2000, 3)).toMatchObject({ ok: true, remaining: 0 });
    expect(takeRequest('key_a', t0 + 20_500, 3)).toEqual({ ok: false, limit: 3, retryAfterSeconds: 40 });
    expect(takeRequest('key_b', t0 + 20_500, 3)).toMatchObject({ ok: true, remaining: 2 });
    expect(takeRequest('key_a', t0 + 59_999, 3)).toEqual({ ok: false, limit: 3, retryAfterSeconds: 1 });
    expect(takeRequest('key_a', t0 + 60_000, 3)).toMatchObject({ ok: true, remaining: 2 });
  });

  it('does not count refused requests against the next window', () => {
    const t0 = 5_000_000;
    takeRequest('key_c', t0, 1);
    for (let i = 0; i < 100; i++) expect(takeRequest('key_c', t0 + i, 1).ok).toBe(false);
    expect(takeRequest('key_c', t0 + 60_000, 1).ok).toBe(true);
  });
});
