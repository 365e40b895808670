import { describe, expect, it } from 'vitest';
import { newId } from './ids';

describe('newId', () => {
  it('makes distinct, time-sortable ids of the ULID layout, across refills of its random pool', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => newId('evt', 1_700_000_000_000 + Math.floor(i / 100)));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^evt_[0-9a-hjkmnp-tv-z]{26}$/);
    const times = ids.map((id) => id.slice(4, 14));
    expect([...times].sort()).toEqual(times);
    // the random part is not the same bytes reused: no two ids of one millisecond share it
    const rand = ids.map((id) => id.slice(14));
    expect(new Set(rand).size).toBe(rand.length);
  });
});
