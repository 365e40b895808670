import { describe, expect, it } from 'vitest';
import { WIRE_FORMATS as STORED } from '@/db/schema';
import { WIRE_FORMATS, type WireFormat } from '@/lib/signing';

// db/ imports nothing of lib/ and lib/signing nothing of the project, so the formats are written twice: here they
// are held equal, in value and order (the runtime check) and as types (tsc fails if either gains a format).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameType: Same<(typeof STORED)[number], WireFormat> = true;

describe('wire formats', () => {
  it('the stored values are the signing formats, in the same order', () => {
    expect(sameType).toBe(true);
    expect([...STORED]).toEqual([...WIRE_FORMATS]);
  });
});
