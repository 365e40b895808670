import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { allSecretKeys, type SecretKeys } from './secrets';
import type { VerifyFailure, WireFormat } from './types';

// A received request: raw body, headers as the server got them, and the endpoint's secrets.
export type VerifyInput = {
  format: WireFormat;
  secrets: string[];
  headers: Record<string, string | string[] | undefined>;
  body: string;
  toleranceSeconds?: number;
  now?: number;
};
// ok, or why not and how to fix the receiver.
export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure; message: string };

const VENDOR_HEADER = { axifi: 'x-webhook-signature', axle: 'x-signature' } as const;
const HEX_SIGNATURE = { axifi: /^sha256=([0-9a-f]{64})$/i, axle: /^([0-9a-f]{64})$/i } as const;
const VENDOR_EXPECTED = { axifi: '"sha256=" followed by 64 hex digits', axle: '64 hex digits (HMAC-SHA256 of the raw body)' } as const;

// Checks that a request was signed with one of the secrets; the failure message says how to fix the receiver.
export function verifyWebhook(input: VerifyInput): VerifyResult {
  const { format, body } = input;
  if (format !== 'standard' && format !== 'axifi' && format !== 'axle') {
    throw new Error(`unknown format ${JSON.stringify(format)}: expected "standard", "axifi" or "axle".`);
  }
  if (typeof body !== 'string') {
    throw new Error("body must be the raw request body as a string: pass req.body.toString('utf8') from express.raw(), not parsed JSON.");
  }
  const tolerance = input.toleranceSeconds ?? 300;
  if (!Number.isFinite(tolerance) || tolerance < 0) throw new Error('toleranceSeconds must be a non-negative number of seconds.');
  const keys = allSecretKeys(input.secrets);
  const headers = lowercase(input.headers ?? {});
  return format === 'standard'
    ? verifyStandard(keys, headers, body, tolerance, input.now ?? Math.floor(Date.now() / 1000))
    : verifyVendor(format, keys, headers, body);
}

function verifyStandard(keys: SecretKeys[], headers: Map<string, string[]>, body: string, tolerance: number, now: number): VerifyResult {
  const names = ['webhook-id', 'webhook-timestamp', 'webhook-signature'];
  const missing = names.filter((name) => !headers.get(name)?.some((v) => v.trim() !== ''));
  if (missing.length > 0) {
    return fail(
      'missing_header',
      `The ${list(missing)} header${missing.length > 1 ? 's are' : ' is'} missing. Read the headers of the incoming request as sent ` +
        '(names are case-insensitive) and check that no proxy in front of your receiver drops them.',
    );
  }
  const id = headers.get('webhook-id')![0]!.trim();
  const rawTimestamp = headers.get('webhook-timestamp')![0]!.trim();
  if (!/^\d{1,12}$/.test(rawTimestamp)) {
    const hint = /^\d{13,}$/.test(rawTimestamp) ? ' It looks like milliseconds; it must be seconds.' : '';
    return fail('malformed_header', `webhook-timestamp must be Unix seconds as an integer, e.g. "1705314645"; got ${quote(rawTimestamp)}.${hint}`);
  }
  const entries = headers.get('webhook-signature')!.join(' ').split(/\s+/).filter(Boolean);
  const signatures: Buffer[] = [];
  for (const entry of entries) {
    const comma = entry.indexOf(',');
    if (comma > 0 && entry.slice(0, comma) === 'v1') signatures.push(Buffer.from(entry.slice(comma + 1), 'base64'));
  }
  if (signatures.length === 0) {
    return fail(
      'malformed_header',
      `webhook-signature must hold space-separated "v1,<base64>" signatures, e.g. "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="; got ${quote(entries.join(' '))}.`,
    );
  }
  const timestamp = Number(rawTimestamp);
  const age = now - timestamp;
  if (age > tolerance) {
    return fail(
      'timestamp_out_of_range',
      `The webhook-timestamp is ${seconds(age)} old, beyond the ${seconds(tolerance)} tolerance — check your clock (NTP), ` +
        'and do not verify a stored request later: a replayed or queued request must be verified when it arrives.',
    );
  }
  if (-age > tolerance) {
    return fail('timestamp_out_of_range', `The webhook-timestamp is ${seconds(-age)} in the future, beyond the ${seconds(tolerance)} tolerance — check your clock (NTP).`);
  }
  const prefix = `${id}.${rawTimestamp}.`;
  const matches = (candidate: string) =>
    keys.some((k) => {
      const expected = createHmac('sha256', k.standard).update(prefix).update(candidate).digest();
      return signatures.some((s) => equal(s, expected));
    });
  if (matches(body)) return { ok: true };
  return noMatch(keys.length, body, matches);
}

function verifyVendor(format: 'axifi' | 'axle', keys: SecretKeys[], headers: Map<string, string[]>, body: string): VerifyResult {
  const name = VENDOR_HEADER[format];
  const values = (headers.get(name) ?? []).map((v) => v.trim()).filter(Boolean);
  if (values.length === 0) {
    return fail(
      'missing_header',
      `The ${name} header is missing. Check that the endpoint's format in the dashboard is "${format}" and that no proxy drops the header.`,
    );
  }
  const signatures: Buffer[] = [];
  for (const value of values) {
    const m = HEX_SIGNATURE[format].exec(value);
    if (m) signatures.push(Buffer.from(m[1]!, 'hex'));
  }
  if (signatures.length === 0) return fail('malformed_header', `${name} must be ${VENDOR_EXPECTED[format]}; got ${quote(values[0]!)}.`);
  const matches = (candidate: string) =>
    keys.some((k) => {
      const expected = hmac(k.vendor, candidate);
      return signatures.some((s) => equal(s, expected));
    });
  if (matches(body)) return { ok: true };
  return noMatch(keys.length, body, matches);
}

// Explains a mismatch: a body that was re-serialized or trimmed would have matched, or the secret is wrong.
function noMatch(secretCount: number, body: string, matches: (candidate: string) => boolean): VerifyResult {
  for (const candidate of reserializations(body)) {
    if (matches(candidate)) {
      return fail(
        'no_matching_signature',
        'No signature matches this body, but one matches it as originally sent: the body was re-serialized ' +
          '(parsed and stringified again, pretty-printed or had whitespace changed) before verifying. ' +
          'Verify the raw request bytes, e.g. express.raw({ type: "application/json" }) or request.get_data().',
      );
    }
  }
  const which = secretCount > 1 ? `any of the ${secretCount} secrets` : 'the secret';
  return fail(
    'no_matching_signature',
    `No signature matches ${which}. Check that the secret is the current one for this endpoint (after a rotation, ` +
      'keep both until the grace period ends) and that you verify the raw, unmodified request body.',
  );
}

function reserializations(body: string): string[] {
  const out = new Set<string>();
  const trimmed = body.trim();
  if (trimmed !== body) out.add(trimmed);
  try {
    const compact = JSON.stringify(JSON.parse(body));
    if (compact !== body) out.add(compact);
  } catch {
    // Not JSON: only the trimmed form can be tried.
  }
  return [...out];
}

function hmac(key: KeyObject, body: string): Buffer {
  return createHmac('sha256', key).update(body).digest();
}

// Constant time for equal lengths; a length mismatch reveals nothing about the key.
function equal(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function lowercase(headers: Record<string, string | string[] | undefined>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  // A fetch Headers object (Next.js route handlers, undici) is read through its iterator.
  const entries = typeof Headers !== 'undefined' && headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const values = Array.isArray(value) ? value.map(String) : [String(value)];
    out.set(key, [...(out.get(key) ?? []), ...values]);
  }
  return out;
}

function fail(reason: VerifyFailure, message: string): VerifyResult {
  return { ok: false, reason, message };
}

function seconds(n: number): string {
  return `${n.toLocaleString('en-US')} s`;
}

function list(names: string[]): string {
  return names.map((n) => `"${n}"`).join(names.length > 2 ? ', ' : ' and ').replace(/, ("[^"]+")$/, ', and $1');
}

function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}
