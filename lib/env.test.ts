import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from './env';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'hookrelay-env-'));
const KEY = Buffer.alloc(32, 7).toString('base64');

describe('parseEnv', () => {
  it('embedded mode generates AUTH_SECRET and the encryption key once, in a 0600 file', () => {
    const dir = tmp();
    const a = parseEnv({ DATA_DIR: dir });
    expect(a.mode).toBe('embedded');
    expect(Buffer.from(a.WEBHOOK_ENCRYPTION_KEY, 'base64')).toHaveLength(32);
    expect(a.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dir, 'keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const b = parseEnv({ DATA_DIR: dir });
    expect(b.AUTH_SECRET).toBe(a.AUTH_SECRET);
    expect(JSON.parse(readFileSync(file, 'utf8')).WEBHOOK_ENCRYPTION_KEY).toBe(a.WEBHOOK_ENCRYPTION_KEY);
  });

  it('applies the documented defaults', () => {
    const e = parseEnv({ DATA_DIR: tmp() });
    expect(e).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: false,
      WEBHOOK_RETRY_SCHEDULE: [5, 300, 1800, 7200, 18000, 36000, 36000],
      WEBHOOK_TIMEOUT_MS: 30000,
      WEBHOOK_LEASE_MS: 60000,
      WEBHOOK_WORKER: 'on',
      WEBHOOK_ENDPOINT_CONCURRENCY: 10,
      WEBHOOK_ORG_CONCURRENCY: 100,
      API_RATE_LIMIT_PER_MINUTE: 6000,
      HOOKRELAY_MAX_ENDPOINTS_PER_ORG: 100,
      HOOKRELAY_MAX_API_KEYS_PER_ORG: 20,
    });
    expect(e).toMatchObject({ AUTH_FAILED_SIGNIN_LIMIT: 10, AUTH_SIGNUP_LIMIT: 20, TRUST_PROXY: false });
    expect(parseEnv({ DATA_DIR: tmp(), TRUST_PROXY: 'true', AUTH_SIGNUP_LIMIT: '500' })).toMatchObject({ TRUST_PROXY: true, AUTH_SIGNUP_LIMIT: 500 });
    expect(() => parseEnv({ DATA_DIR: tmp(), TRUST_PROXY: 'yes', AUTH_FAILED_SIGNIN_LIMIT: '0' })).toThrow(
      /TRUST_PROXY must be true or false[\s\S]*AUTH_FAILED_SIGNIN_LIMIT must be a whole number of at least 1|AUTH_FAILED_SIGNIN_LIMIT must be a whole number of at least 1[\s\S]*TRUST_PROXY must be true or false/,
    );
  });

  it('server mode refuses to start without AUTH_SECRET and WEBHOOK_ENCRYPTION_KEY, saying so', () => {
    expect(() => parseEnv({ DATABASE_URL: 'postgres://x@127.0.0.1/db' })).toThrow(
      /AUTH_SECRET must be set when DATABASE_URL is set[\s\S]*WEBHOOK_ENCRYPTION_KEY must be set when DATABASE_URL is set/,
    );
    const ok = parseEnv({ DATABASE_URL: 'postgres://x@127.0.0.1/db', AUTH_SECRET: 'a'.repeat(40), WEBHOOK_ENCRYPTION_KEY: KEY });
    expect(ok.mode).toBe('server');
  });

  it('refuses a lease that does not exceed the timeout by 10 s, and other bad values', () => {
    expect(() => parseEnv({ DATA_DIR: tmp(), WEBHOOK_TIMEOUT_MS: '30000', WEBHOOK_LEASE_MS: '35000' })).toThrow(/must exceed WEBHOOK_TIMEOUT_MS/);
    expect(() => parseEnv({ DATA_DIR: tmp(), WEBHOOK_RETRY_SCHEDULE: '5,abc' })).toThrow(/comma-separated seconds/);
    expect(() => parseEnv({ DATA_DIR: tmp(), WEBHOOK_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(/base64 of 32 bytes/);
    expect(() => parseEnv({ DATA_DIR: tmp(), WEBHOOK_ALLOW_PRIVATE_TARGETS: 'yes' })).toThrow(/true or false/);
    expect(() => parseEnv({ DATA_DIR: tmp(), METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
    for (const port of ['70000', 'abc', '1.5']) {
      expect(() => parseEnv({ DATA_DIR: tmp(), WORKER_METRICS_PORT: port })).toThrow(/WORKER_METRICS_PORT must be a port from 1 to 65535/);
    }
  });
});

describe('WEBHOOK_RETENTION_DAYS', () => {
  it('defaults to 30 days and takes a whole number of days from 1 to 3650', () => {
    expect(parseEnv({ DATA_DIR: tmp() }).WEBHOOK_RETENTION_DAYS).toBe(30);
    expect(parseEnv({ DATA_DIR: tmp(), WEBHOOK_RETENTION_DAYS: '7' }).WEBHOOK_RETENTION_DAYS).toBe(7);
    expect(() => parseEnv({ DATA_DIR: tmp(), WEBHOOK_RETENTION_DAYS: '0' })).toThrow(/WEBHOOK_RETENTION_DAYS must be at least 1/);
    expect(() => parseEnv({ DATA_DIR: tmp(), WEBHOOK_RETENTION_DAYS: '1.5' })).toThrow(/WEBHOOK_RETENTION_DAYS must be a whole number of days/);
    expect(() => parseEnv({ DATA_DIR: tmp(), WEBHOOK_RETENTION_DAYS: 'forever' })).toThrow(/WEBHOOK_RETENTION_DAYS must be a whole number of days/);
  });
});
