import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from '@/lib/env';
import { embedOriginsFrom, frameAncestors } from './embed';

describe('frame-ancestors', () => {
  it('lets the listed origins frame embedded portal pages, and nobody frame anything else', () => {
    const origins = embedOriginsFrom(' https://app.acme.test/, https://admin.acme.test:8443 ');
    expect(origins).toEqual(['https://app.acme.test', 'https://admin.acme.test:8443']);
    expect(frameAncestors(true, origins)).toBe('frame-ancestors https://app.acme.test https://admin.acme.test:8443');
    expect(frameAncestors(false, origins)).toBe("frame-ancestors 'none'");
    expect(frameAncestors(true, [])).toBe("frame-ancestors 'none'");
  });
});

describe('platform settings in the environment', () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), 'hookrelay-env-'));
  it('defaults: platform API off, no embed origins, sign-up on, PUBLIC_URL from HOST and PORT', () => {
    const e = parseEnv({ DATA_DIR: dir(), PORT: '3999' });
    expect(e).toMatchObject({ HOOKRELAY_PLATFORM_KEYS: [], HOOKRELAY_EMBED_ORIGINS: [], HOOKRELAY_SIGNUP: 'on', PUBLIC_URL: 'http://127.0.0.1:3999' });
  });
  it('refuses short platform keys, origins with a path, and a PUBLIC_URL that is not http(s), saying what to set', () => {
    expect(() => parseEnv({ DATA_DIR: dir(), HOOKRELAY_PLATFORM_KEYS: 'short' })).toThrow(/at least 32 characters/);
    expect(() => parseEnv({ DATA_DIR: dir(), HOOKRELAY_EMBED_ORIGINS: 'https://app.acme.test/settings' })).toThrow(/HOOKRELAY_EMBED_ORIGINS/);
    expect(() => parseEnv({ DATA_DIR: dir(), PUBLIC_URL: 'ftp://x' })).toThrow(/PUBLIC_URL/);
    expect(() => parseEnv({ DATA_DIR: dir(), HOOKRELAY_SIGNUP: 'no' })).toThrow(/HOOKRELAY_SIGNUP/);
    const ok = parseEnv({ DATA_DIR: dir(), HOOKRELAY_PLATFORM_KEYS: `${'a'.repeat(32)}, ${'b'.repeat(40)}`, PUBLIC_URL: 'https://hooks.acme.test/' });
    expect(ok.HOOKRELAY_PLATFORM_KEYS).toEqual(['a'.repeat(32), 'b'.repeat(40)]);
    expect(ok.PUBLIC_URL).toBe('https://hooks.acme.test');
  });
});
