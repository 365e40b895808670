import { describe, expect, it } from 'vitest';
import { EndpointGates } from './fairness';

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
});
