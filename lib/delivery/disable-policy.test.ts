import { describe, expect, it } from 'vitest';
import { DISABLE_AFTER_MS, disableDeadline, disablePolicyParams, endpointAfterFailure, GONE_REASON, staleReason } from './disable-policy';

const now = Date.parse('2026-12-02T12:00:00Z');
const ago = (ms: number) => new Date(now - ms);

describe('endpointAfterFailure', () => {
  it('disables an enabled endpoint at its 410 Gone answer, whatever its failing time', () => {
    expect(endpointAfterFailure({ enabled: true, failingSince: ago(1000), goneAt: ago(500) }, now)).toEqual({ disabledAt: ago(500), reason: GONE_REASON });
  });

  it('disables an endpoint failing for more than 5 days, naming when it started to fail', () => {
    const since = new Date('2026-11-27T11:59:30Z');
    expect(endpointAfterFailure({ enabled: true, failingSince: since, goneAt: null }, now)).toEqual({
      disabledAt: new Date(now),
      reason: 'No delivery has succeeded for 5 days (failing since 2026-11-27 11:59 UTC)',
    });
  });

  it('leaves an endpoint failing for exactly 5 days or less, a healthy one, and a disabled one alone', () => {
    expect(endpointAfterFailure({ enabled: true, failingSince: ago(DISABLE_AFTER_MS), goneAt: null }, now)).toBeNull();
    expect(endpointAfterFailure({ enabled: true, failingSince: null, goneAt: null }, now)).toBeNull();
    expect(endpointAfterFailure({ enabled: false, failingSince: ago(10 * DISABLE_AFTER_MS), goneAt: ago(1) }, now)).toBeNull();
  });

  it('gives the result write the same cutoff and words', () => {
    const since = ago(DISABLE_AFTER_MS + 60_000);
    const p = disablePolicyParams(now);
    expect(p.disableBefore).toBe(new Date(now - DISABLE_AFTER_MS).toISOString());
    expect(p.goneReason).toBe(GONE_REASON);
    expect(p.staleReason.replace('%s', since.toISOString().slice(0, 16).replace('T', ' '))).toBe(staleReason(since));
    expect(disableDeadline(since.toISOString()).getTime()).toBe(now - 60_000);
  });
});
