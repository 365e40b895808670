import { describe, expect, it } from 'vitest';
import { BREAKER_TIMEOUTS, EndpointGates } from './fairness';

describe('EndpointGates', () => {
  it('caps in-flight attempts per endpoint and frees a slot when one ends', () => {
    const gates = new EndpointGates(2, () => 0);
    expect(gates.allowance('a')).toBe(2);
    gates.start('a', null);
    gates.start('a', null);
    expect(gates.allowance('a')).toBe(0);
    expect(gates.allowance('b')).toBe(2);
    expect(gates.snapshot().blocked).toEqual(['a']);
    expect(gates.finish('a')).toBe(true);
    expect(gates.allowance('a')).toBe(1);
    expect(gates.snapshot()).toMatchObject({ blocked: [], allow: [{ endpoint_id: 'a', allow: 1 }] });
    expect(gates.finish('a')).toBe(false);
    expect(gates.snapshot().allow).toEqual([]);
    expect(gates.inFlight()).toBe(0);
  });

  it('limits the rate with a bucket of one second', () => {
    let t = 0;
    const gates = new EndpointGates(10, () => t);
    for (let i = 0; i < 3; i++) gates.start('a', 3);
    for (let i = 0; i < 3; i++) gates.finish('a');
    expect(gates.allowance('a')).toBe(0);
    const snap = gates.snapshot();
    expect(snap.blocked).toEqual(['a']);
    expect(snap.nextRefillMs).toBe(334);
    t = 340;
    expect(gates.allowance('a')).toBe(1);
    t = 5000;
    expect(gates.allowance('a')).toBe(3);
    expect(gates.snapshot().allow).toEqual([]); // idle with a full bucket: forgotten
  });

  it('caps in-flight attempts per organization, across its endpoints', () => {
    const gates = new EndpointGates(10, () => 0, 3);
    gates.start('a1', null, 'A');
    gates.start('a2', null, 'A');
    expect(gates.orgAllowance('A')).toBe(1);
    expect(gates.snapshot()).toMatchObject({ blockedOrgs: [], orgAllow: [{ org_id: 'A', allow: 1 }] });
    gates.start('a3', null, 'A');
    expect(gates.orgAllowance('A')).toBe(0);
    expect(gates.orgAllowance('B')).toBe(3);
    expect(gates.snapshot().blockedOrgs).toEqual(['A']);
    expect(gates.finish('a1', 'A')).toBe(true); // the organization was full: waiting work may go
    expect(gates.snapshot()).toMatchObject({ blockedOrgs: [], orgAllow: [{ org_id: 'A', allow: 1 }] });
    gates.finish('a2', 'A');
    gates.finish('a3', 'A');
    expect(gates.snapshot()).toMatchObject({ blockedOrgs: [], orgAllow: [] });
  });

  it('gives an endpoint one slot after BREAKER_TIMEOUTS timeouts in a row, and all of them after one that does not time out', () => {
    const gates = new EndpointGates(10, () => 0, 100);
    for (let i = 0; i < BREAKER_TIMEOUTS; i++) gates.start('slow', null, 'A');
    for (let i = 0; i < BREAKER_TIMEOUTS - 1; i++) gates.finish('slow', 'A', { timedOut: true });
    expect(gates.tripped('slow')).toBe(false);
    gates.finish('slow', 'A', { timedOut: true });
    expect(gates.tripped('slow')).toBe(true);
    expect(gates.allowance('slow')).toBe(1);
    expect(gates.snapshot().allow).toEqual([{ endpoint_id: 'slow', allow: 1 }]); // remembered while idle
    gates.start('slow', null, 'A');
    expect(gates.allowance('slow')).toBe(0);
    expect(gates.snapshot().blocked).toEqual(['slow']);
    gates.finish('slow', 'A', { timedOut: false });
    expect(gates.tripped('slow')).toBe(false);
    expect(gates.allowance('slow')).toBe(10);
    expect(gates.snapshot()).toMatchObject({ blocked: [], allow: [] });
  });
});
