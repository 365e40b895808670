import { describe, expect, it } from 'vitest';
import { createCipheriv, randomBytes } from 'node:crypto';
import { seal, open, openLegacy, isSealed } from './seal';

const key = randomBytes(32).toString('base64');
const ctx = 'endpoint-secret:ep_one';

// A value in the first format (no associated data), as the previous version stored it.
function sealV1(plaintext: string, k: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', Buffer.from(k, 'base64'), iv);
  const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

describe('seal / open', () => {
  it('round-trips and never contains the plaintext', () => {
    const secret = 'whsec_' + randomBytes(24).toString('base64');
    const sealed = seal(secret, key, ctx);
    expect(sealed).toMatch(/^v2\./);
    expect(sealed).not.toContain('whsec_');
    expect(sealed).not.toBe(seal(secret, key, ctx)); // fresh IV each time
    expect(open(sealed, key, ctx)).toBe(secret);
    expect(isSealed(sealed)).toBe(true);
    expect(isSealed('Bearer abc')).toBe(false);
  });

  it('refuses a tampered ciphertext or tag, or another key', () => {
    const sealed = seal('whsec_abc', key, ctx);
    const parts = sealed.split('.');
    const ct = [...parts];
    ct[3] = Buffer.from('tampered').toString('base64url');
    expect(() => open(ct.join('.'), key, ctx)).toThrow();
    const tag = Buffer.from(parts[2]!, 'base64url');
    tag[0] ^= 1;
    expect(() => open([parts[0], parts[1], tag.toString('base64url'), parts[3]].join('.'), key, ctx)).toThrow();
    expect(() => open(sealed, randomBytes(32).toString('base64'), ctx)).toThrow();
    expect(() => open('garbage', key, ctx)).toThrow(/malformed/);
  });

  it('refuses a truncated tag, even one that would pass a short-tag check', () => {
    const parts = seal('whsec_abc', key, ctx).split('.');
    for (const bytes of [4, 8, 12, 15]) {
      const short = Buffer.from(parts[2]!, 'base64url').subarray(0, bytes).toString('base64url');
      expect(() => open([parts[0], parts[1], short, parts[3]].join('.'), key, ctx)).toThrow(/truncated/);
    }
  });

  it('binds the value to what it seals: moved to another endpoint or header name, it does not open', () => {
    const sealed = seal('Bearer s3cret', key, 'endpoint-header:ep_one:Authorization');
    expect(open(sealed, key, 'endpoint-header:ep_one:Authorization')).toBe('Bearer s3cret');
    expect(() => open(sealed, key, 'endpoint-header:ep_two:Authorization')).toThrow();
    expect(() => open(sealed, key, 'endpoint-header:ep_one:X-Other')).toThrow();
    expect(() => open(sealed, key, 'endpoint-secret:ep_one')).toThrow();
  });

  it('opens the first format only through openLegacy, never as a current value', () => {
    const old = sealV1('whsec_old', key);
    expect(openLegacy(old, key)).toBe('whsec_old');
    expect(() => open(old, key, ctx)).toThrow(/malformed/);
    expect(isSealed(old)).toBe(false);
    expect(isSealed(old, 'v1')).toBe(true);
  });
});
