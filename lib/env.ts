import { z } from 'zod';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';

// Every setting of DESIGN.md's Names table, validated once; no Next imports, so the worker and tests load it too.
const schema = z
  .object({
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL, or unset for the embedded database')
      .optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional(),
    WEBHOOK_ENCRYPTION_KEY: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'WEBHOOK_ENCRYPTION_KEY must be base64 of 32 bytes (e.g. `openssl rand -base64 32`)')
      .optional(),
    WEBHOOK_ALLOW_PRIVATE_TARGETS: z.enum(['true', 'false'], { message: 'WEBHOOK_ALLOW_PRIVATE_TARGETS must be true or false' }).default('false'),
    WEBHOOK_RETRY_SCHEDULE: z
      .string()
      .default('5,300,1800,7200,18000,36000,36000')
      .refine(
        (v) => v.split(',').every((s) => /^\s*\d+(\.\d+)?\s*$/.test(s)),
        'WEBHOOK_RETRY_SCHEDULE must be comma-separated seconds, e.g. 5,300,1800',
      ),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100, 'WEBHOOK_TIMEOUT_MS must be at least 100').default(30_000),
    WEBHOOK_LEASE_MS: z.coerce.number().int().min(1000, 'WEBHOOK_LEASE_MS must be at least 1000').default(60_000),
    WEBHOOK_WORKER: z.enum(['on', 'off'], { message: 'WEBHOOK_WORKER must be on or off' }).default('on'),
    WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1, 'WEBHOOK_ENDPOINT_CONCURRENCY must be at least 1').default(10),
    WEBHOOK_ORG_CONCURRENCY: z.coerce.number().int().min(1, 'WEBHOOK_ORG_CONCURRENCY must be at least 1').default(100),
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1, 'API_RATE_LIMIT_PER_MINUTE must be at least 1').default(6000),
    HOOKRELAY_MAX_ENDPOINTS_PER_ORG: z.coerce.number().int().min(1, 'HOOKRELAY_MAX_ENDPOINTS_PER_ORG must be at least 1').default(100),
    HOOKRELAY_MAX_API_KEYS_PER_ORG: z.coerce.number().int().min(1, 'HOOKRELAY_MAX_API_KEYS_PER_ORG must be at least 1').default(20),
    // Set by `npm run demo` only: turns on the route that creates the demo account (unset: that route is 404).
    HOOKRELAY_DEMO_TOKEN: z.string().min(32, 'HOOKRELAY_DEMO_TOKEN must be at least 32 characters').optional(),
    AUTH_FAILED_SIGNIN_LIMIT: z.coerce.number().int().min(1, 'AUTH_FAILED_SIGNIN_LIMIT must be a whole number of at least 1').default(10),
    AUTH_SIGNUP_LIMIT: z.coerce.number().int().min(1, 'AUTH_SIGNUP_LIMIT must be a whole number of at least 1').default(20),
    TRUST_PROXY: z.enum(['true', 'false'], { message: 'TRUST_PROXY must be true or false' }).default('false'),
    PUBLIC_URL: z
      .string()
      .regex(/^https?:\/\/[^/\s]+(\/[^\s]*)?$/, 'PUBLIC_URL must be an http:// or https:// URL, e.g. https://hooks.example.com')
      .transform((v) => v.replace(/\/+$/, ''))
      .optional(),
    HOOKRELAY_PLATFORM_KEYS: z
      .string()
      .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean))
      .refine((keys) => keys.every((k) => k.length >= 32), 'HOOKRELAY_PLATFORM_KEYS: each platform key must be at least 32 characters (e.g. `openssl rand -hex 32`)')
      .default([]),
    HOOKRELAY_EMBED_ORIGINS: z
      .string()
      .transform((v) => v.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean))
      .refine(
        (origins) => origins.every((o) => /^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(o)),
        'HOOKRELAY_EMBED_ORIGINS must be comma-separated origins like https://app.example.com (scheme, host and optional port)',
      )
      .default([]),
    METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters (e.g. `openssl rand -hex 32`)').optional(),
    WORKER_METRICS_PORT: z.coerce
      .number({ message: 'WORKER_METRICS_PORT must be a port from 1 to 65535' })
      .int('WORKER_METRICS_PORT must be a port from 1 to 65535')
      .min(1, 'WORKER_METRICS_PORT must be a port from 1 to 65535')
      .max(65535, 'WORKER_METRICS_PORT must be a port from 1 to 65535')
      .optional(),
    HOOKRELAY_SIGNUP: z.enum(['on', 'off'], { message: 'HOOKRELAY_SIGNUP must be on or off' }).default('on'),
    WEBHOOK_RETENTION_DAYS: z.coerce
      .number({ message: 'WEBHOOK_RETENTION_DAYS must be a whole number of days, e.g. 30' })
      .int('WEBHOOK_RETENTION_DAYS must be a whole number of days, e.g. 30')
      .min(1, 'WEBHOOK_RETENTION_DAYS must be at least 1 (day)')
      .max(3650, 'WEBHOOK_RETENTION_DAYS must be at most 3650 (ten years)')
      .default(30),
    // Mail server for email alerts (lib/alerts/mailer.ts); unset: email alerts off.
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, 'SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587')
      .optional(),
    SMTP_FROM: z.string().min(3).max(320).regex(/^[^\r\n]+$/, 'SMTP_FROM must be one line, e.g. Hookrelay <alerts@example.com>').optional(),
  })
  .superRefine((v, ctx) => {
    if (v.WEBHOOK_LEASE_MS < v.WEBHOOK_TIMEOUT_MS + 10_000) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_LEASE_MS'],
        message: `WEBHOOK_LEASE_MS (${v.WEBHOOK_LEASE_MS}) must exceed WEBHOOK_TIMEOUT_MS (${v.WEBHOOK_TIMEOUT_MS}) by at least 10000`,
      });
    }
    if (v.DATABASE_URL) {
      for (const name of ['AUTH_SECRET', 'WEBHOOK_ENCRYPTION_KEY'] as const) {
        if (!v[name]) ctx.addIssue({ code: 'custom', path: [name], message: `${name} must be set when DATABASE_URL is set (server mode)` });
      }
    }
  });

export type Env = Omit<z.infer<typeof schema>, 'WEBHOOK_RETRY_SCHEDULE' | 'WEBHOOK_ALLOW_PRIVATE_TARGETS' | 'TRUST_PROXY' | 'PUBLIC_URL' | 'SMTP_FROM'> & {
  PUBLIC_URL: string;
  SMTP_FROM: string;
  WEBHOOK_RETRY_SCHEDULE: number[];
  WEBHOOK_ALLOW_PRIVATE_TARGETS: boolean;
  TRUST_PROXY: boolean;
  AUTH_SECRET: string;
  WEBHOOK_ENCRYPTION_KEY: string;
  mode: 'embedded' | 'server';
};

export class EnvError extends Error {}

// Parses an environment; throws EnvError listing every setting to fix. Embedded mode fills in generated keys.
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const clean = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const r = schema.safeParse(clean);
  if (!r.success) {
    throw new EnvError('Hookrelay cannot start:\n' + r.error.issues.map((i) => `  - ${i.message}`).join('\n'));
  }
  const v = r.data;
  const mode = v.DATABASE_URL ? 'server' : 'embedded';
  const keys = mode === 'embedded' ? embeddedKeys(v.DATA_DIR) : undefined;
  return {
    ...v,
    mode,
    AUTH_SECRET: v.AUTH_SECRET ?? keys!.AUTH_SECRET,
    WEBHOOK_ENCRYPTION_KEY: v.WEBHOOK_ENCRYPTION_KEY ?? keys!.WEBHOOK_ENCRYPTION_KEY,
    WEBHOOK_ALLOW_PRIVATE_TARGETS: v.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true',
    TRUST_PROXY: v.TRUST_PROXY === 'true',
    PUBLIC_URL: v.PUBLIC_URL ?? `http://${v.HOST}:${v.PORT}`,
    SMTP_FROM: v.SMTP_FROM ?? `hookrelay@${new URL(v.PUBLIC_URL ?? `http://${v.HOST}:${v.PORT}`).hostname}`,
    WEBHOOK_RETRY_SCHEDULE: v.WEBHOOK_RETRY_SCHEDULE.split(',').map((s) => Number(s.trim())),
  };
}

// Reads DATA_DIR/keys.json, or writes it (mode 0600) with fresh keys on first run.
function embeddedKeys(dataDir: string): { AUTH_SECRET: string; WEBHOOK_ENCRYPTION_KEY: string } {
  const file = path.join(path.resolve(dataDir), 'keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const keys = {
    AUTH_SECRET: randomBytes(32).toString('base64'),
    WEBHOOK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  writeFileSync(file, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return keys;
}

const cache = globalThis as unknown as { __hookrelayEnv?: Env };

// The process's validated environment, parsed once.
export function env(): Env {
  return (cache.__hookrelayEnv ??= parseEnv());
}

// How many days of events, deliveries and attempts are kept (WEBHOOK_RETENTION_DAYS); older ones are purged
// (lib/delivery/retention.ts), except deliveries still waiting to be sent.
export function retentionDays(): number {
  return env().WEBHOOK_RETENTION_DAYS;
}

// Tests and the worker override settings (retry schedule, timeouts) without touching process.env.
export function setEnv(overrides: Partial<Env>): Env {
  cache.__hookrelayEnv = { ...env(), ...overrides };
  return cache.__hookrelayEnv;
}
