import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { seal, open } from './seal';

const key = randomBytes(32).toString('base64');

describe('seal / open', () => {
  it('round-trips and never contains the plaintext', () => {
    const secret = 'whsec_' + randomBytes(24).toString('base64');
    const sealed = seal(secret, key);
    expect(sealed).not.toContain('whsec_');
    expect(sealed).not.toBe(seal(secret, key)); // fresh IV each time
    expect(open(sealed, key)).toBe(secret);
  });

  it('refuses a tampered value or another key', () => {
    const sealed = seal('whsec_abc', key);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => open(parts.join('.'), key)).toThrow();
    expect(() => open(sealed, randomBytes(32).toString('base64'))).toThrow();
    expect(() => open('garbage', key)).toThrow(/malformed/);
  });
});
