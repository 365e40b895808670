import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

const PREFIX = 'whsec_';
// Standard base64 with padding, as generateSecret writes it and the standardwebhooks libraries read it.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const CACHE_LIMIT = 256;

// The two HMAC keys of one secret: Standard Webhooks uses the decoded bytes, the vendor formats the whole string.
export type SecretKeys = { standard: KeyObject; vendor: KeyObject };

const cache = new Map<string, SecretKeys>();

// The error for an empty secret list.
export const NO_SECRETS = 'secrets is empty: pass at least one "whsec_…" signing secret (the one receivers hold first).';

// A new signing secret: "whsec_" + padded base64 of 24–32 random bytes.
export function generateSecret(): string {
  const length = 24 + (randomBytes(1)[0]! % 9);
  return PREFIX + randomBytes(length).toString('base64');
}

// The keys of a secret, decoded once and cached; throws when it is not "whsec_<base64>".
export function secretKeys(secret: string, position = 0): SecretKeys {
  const hit = cache.get(secret);
  if (hit) return hit;
  const encoded = typeof secret === 'string' && secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : '';
  if (!encoded || !BASE64.test(encoded)) {
    // The secret itself never goes into the message: it may end up in logs.
    throw new Error(
      `secrets[${position}] is not a signing secret: expected "whsec_" followed by standard base64, as the dashboard shows it ` +
        `(got ${describe(secret)}). Copy the whole value from Settings → Webhooks.`,
    );
  }
  const keys: SecretKeys = {
    standard: createSecretKey(Buffer.from(encoded, 'base64')),
    vendor: createSecretKey(Buffer.from(secret, 'utf8')),
  };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(secret, keys);
  return keys;
}

// The keys of every secret, refusing an empty list.
export function allSecretKeys(secrets: readonly string[]): SecretKeys[] {
  if (!Array.isArray(secrets) || secrets.length === 0) {
    throw new Error(NO_SECRETS);
  }
  const keys = new Array<SecretKeys>(secrets.length);
  for (let i = 0; i < secrets.length; i++) keys[i] = secretKeys(secrets[i]!, i);
  return keys;
}

function describe(value: unknown): string {
  if (typeof value !== 'string') return typeof value;
  if (value === '') return 'an empty string';
  if (!value.startsWith(PREFIX)) return `a string of ${value.length} characters without the "whsec_" prefix`;
  return `"whsec_" and ${value.length - PREFIX.length} characters that are not padded standard base64`;
}
