import { beforeEach, describe, expect, it } from 'vitest';
import { clearFailedSignIns, recordFailedSignIn, recordSignUp, resetAuthLimits, signInRefusal, signUpRefusal } from './limits';

const MIN = 60_000;
beforeEach(() => resetAuthLimits());

describe('failed sign-in limits', () => {
  it('refuses the 11th wrong password for one email within 15 minutes, saying when to try again', () => {
    const t0 = Date.UTC(2026, 0, 1, 12, 0);
    for (let i = 0; i < 10; i++) {
      expect(signInRefusal('Alice@example.com', '10.0.0.1', 10, t0 + i * 1000)).toBeUndefined();
      recordFailedSignIn('alice@example.com ', '10.0.0.1', 10, t0 + i * 1000);
    }
    expect(signInRefusal('alice@example.com', '10.0.0.1', 10, t0 + 10_000)).toEqual({
      message: 'Too many failed sign-ins for this email. Try again in 15 minutes.',
      retryAfterSeconds: 15 * 60 - 10,
    });
    // from another address too: the limit is the email's
    expect(signInRefusal('ALICE@example.com', '10.9.9.9', 10, t0 + 3 * MIN)?.message).toBe('Too many failed sign-ins for this email. Try again in 12 minutes.');
    expect(signInRefusal('alice@example.com', '10.0.0.1', 10, t0 + 14 * MIN + 30_000)?.message).toBe('Too many failed sign-ins for this email. Try again in 1 minute.');
    // the first failure leaves the window: one more try
    expect(signInRefusal('alice@example.com', '10.0.0.1', 10, t0 + 15 * MIN)).toBeUndefined();
    expect(signInRefusal('bob@example.com', '10.0.0.1', 10, t0 + 10_000)).toBeUndefined();
  });

  it('refuses an address after 5× the limit across many emails, and a success clears only the email', () => {
    const t0 = Date.UTC(2026, 0, 1, 12, 0);
    for (let i = 0; i < 50; i++) recordFailedSignIn(`user${i}@example.com`, '10.0.0.2', 10, t0);
    expect(signInRefusal('new@example.com', '10.0.0.2', 10, t0 + MIN)?.message).toBe('Too many failed sign-ins from your network. Try again in 14 minutes.');
    expect(signInRefusal('new@example.com', '10.0.0.3', 10, t0 + MIN)).toBeUndefined();
    for (let i = 0; i < 10; i++) recordFailedSignIn('carol@example.com', '10.0.0.4', 10, t0);
    clearFailedSignIns('carol@example.com');
    expect(signInRefusal('carol@example.com', '10.0.0.4', 10, t0)).toBeUndefined();
  });
});

describe('sign-up limit', () => {
  it('allows 20 accounts per address per hour, then says when to try again', () => {
    const t0 = Date.UTC(2026, 0, 1, 12, 0);
    for (let i = 0; i < 20; i++) {
      expect(signUpRefusal('10.0.0.5', 20, t0 + i * MIN)).toBeUndefined();
      recordSignUp('10.0.0.5', 20, t0 + i * MIN);
    }
    expect(signUpRefusal('10.0.0.5', 20, t0 + 20 * MIN)).toEqual({ message: 'Too many sign-ups from your network. Try again in 40 minutes.', retryAfterSeconds: 40 * 60 });
    expect(signUpRefusal('10.0.0.6', 20, t0 + 20 * MIN)).toBeUndefined();
    expect(signUpRefusal('10.0.0.5', 20, t0 + 60 * MIN)).toBeUndefined();
  });
});
