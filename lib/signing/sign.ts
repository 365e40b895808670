import { createHmac } from 'node:crypto';
import { NO_SECRETS, secretKeys } from './secrets';
import type { WireFormat } from './types';

// What one attempt is signed over, and with which secrets (receivers' current secret first).
export type SignatureInput = { format: WireFormat; secrets: string[]; id: string; timestamp: number; body: string };

// Anything but printable ASCII without spaces: the id goes into a header and into the signed content.
const NOT_ID_CHAR = /[^\x21-\x7e]/;

// Every header signatureHeaders may set, in any format (lower case).
export const SIGNATURE_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'x-webhook-signature', 'x-signature'] as const;

// The headers that sign one attempt: webhook-id/-timestamp/-signature always, plus the format's vendor header.
export function signatureHeaders(input: SignatureInput): Record<string, string> {
  const { format, secrets, id, timestamp, body } = input;
  if (format !== 'standard' && format !== 'axifi' && format !== 'axle') {
    throw new Error(`unknown format ${JSON.stringify(format)}: expected "standard", "axifi" or "axle".`);
  }
  if (typeof id !== 'string' || id.length === 0 || id.length > 255 || NOT_ID_CHAR.test(id)) {
    throw new Error('id must be 1–255 printable ASCII characters without spaces (an event id such as "evt_…").');
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new Error(`timestamp must be Unix seconds as a non-negative integer (got ${String(timestamp)}); use Math.floor(Date.now() / 1000).`);
  }
  if (typeof body !== 'string') throw new Error('body must be the encoded body string (see encodeBody).');
  if (!Array.isArray(secrets) || secrets.length === 0) throw new Error(NO_SECRETS);
  const ts = String(timestamp);
  // The signed content is "{id}.{timestamp}.{body}"; two updates spare a copy of a large body.
  const prefix = id + '.' + ts + '.';
  const first = secretKeys(secrets[0]!, 0);
  let signature = 'v1,' + createHmac('sha256', first.standard).update(prefix).update(body).digest('base64');
  for (let i = 1; i < secrets.length; i++) {
    signature += ' v1,' + createHmac('sha256', secretKeys(secrets[i]!, i).standard).update(prefix).update(body).digest('base64');
  }
  const headers: Record<string, string> = { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': signature };
  if (format === 'standard') return headers;
  // A vendor header holds one signature, so it uses secrets[0]: callers put first the secret receivers
  // currently hold — the previous secret during a rotation's grace period, the new one once it ends.
  // (webhook-signature above carries every secret, so Standard Webhooks receivers switch whenever they like.)
  const hex = createHmac('sha256', first.vendor).update(body).digest('hex');
  if (format === 'axifi') headers['x-webhook-signature'] = 'sha256=' + hex;
  else headers['x-signature'] = hex;
  return headers;
}
