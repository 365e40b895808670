import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeBody, signatureHeaders, verifyWebhook, type WireFormat } from './index';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER = 'whsec_c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24tdGVzdHM=';
const NOW = 1705314645;
const event = {
  id: 'evt_2mVq8GkqTn3vYc6b',
  type: 'compound.created',
  timestamp: new Date('2024-01-15T10:30:45.000Z'),
  data: { id: 'compound-123', name: 'Aspirin', category: 'analgesic', efficacy: 0.92 },
};

function signed(format: WireFormat, secrets = [SECRET], timestamp = NOW) {
  const body = encodeBody(format, event);
  return { body, headers: signatureHeaders({ format, secrets, id: event.id, timestamp, body }) as Record<string, string | string[] | undefined> };
}
const verify = (format: WireFormat, body: string, headers: Record<string, string | string[] | undefined>, secrets = [SECRET]) =>
  verifyWebhook({ format, secrets, headers, body, now: NOW });
const failure = (result: ReturnType<typeof verifyWebhook>) => {
  if (result.ok) throw new Error('expected verification to fail');
  return result;
};

describe.each(['standard', 'axifi', 'axle'] as const)('verifyWebhook (%s)', (format) => {
  it('accepts a delivery signed with the secret', () => {
    const { body, headers } = signed(format);
    expect(verify(format, body, headers)).toEqual({ ok: true });
  });

  it('accepts any of several secrets (rotation on the receiver side)', () => {
    const { body, headers } = signed(format);
    expect(verify(format, body, headers, [OTHER, SECRET])).toEqual({ ok: true });
  });

  it('refuses a wrong secret', () => {
    const { body, headers } = signed(format);
    const result = failure(verify(format, body, headers, [OTHER]));
    expect(result.reason).toBe('no_matching_signature');
    expect(result.message).toContain('No signature matches the secret');
  });

  it('refuses a tampered body', () => {
    const { body, headers } = signed(format);
    expect(failure(verify(format, body.replace('Aspirin', 'Placebo'), headers)).reason).toBe('no_matching_signature');
  });

  it('says the body was re-serialized when a pretty-printed body would have matched', () => {
    const { body, headers } = signed(format);
    const result = failure(verify(format, JSON.stringify(JSON.parse(body), null, 2), headers));
    expect(result.reason).toBe('no_matching_signature');
    expect(result.message).toContain('the body was re-serialized');
    expect(failure(verify(format, body + '\n', headers)).message).toContain('the body was re-serialized');
  });

  it('matches header names case-insensitively and takes array values', () => {
    const { body, headers } = signed(format);
    const mixed = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), [v as string]]));
    expect(verify(format, body, mixed)).toEqual({ ok: true });
  });
});

describe('verifyWebhook (standard): headers and timestamps', () => {
  it('names every missing header', () => {
    const { body, headers } = signed('standard');
    const result = failure(verify('standard', body, { ...headers, 'webhook-id': undefined, 'webhook-signature': '' }));
    expect(result.reason).toBe('missing_header');
    expect(result.message).toMatch(/^The "webhook-id" and "webhook-signature" headers are missing\./);
    expect(failure(verify('standard', body, {})).message).toContain('"webhook-id", "webhook-timestamp", and "webhook-signature" headers are missing');
  });

  it('reads a fetch Headers object too', () => {
    const { body, headers } = signed('standard');
    const fetchHeaders = new Headers(headers as Record<string, string>);
    expect(verify('standard', body, fetchHeaders as unknown as Record<string, string>)).toEqual({ ok: true });
  });

  it('refuses a stale timestamp with its age in seconds and a clock hint', () => {
    const { body, headers } = signed('standard', [SECRET], NOW - 3600);
    const result = failure(verify('standard', body, headers));
    expect(result.reason).toBe('timestamp_out_of_range');
    expect(result.message).toContain('The webhook-timestamp is 3,600 s old');
    expect(result.message).toContain('check your clock');
  });

  it('refuses a timestamp in the future', () => {
    const { body, headers } = signed('standard', [SECRET], NOW + 301);
    const result = failure(verify('standard', body, headers));
    expect(result.reason).toBe('timestamp_out_of_range');
    expect(result.message).toContain('301 s in the future');
  });

  it('accepts the edges of the window and honours toleranceSeconds', () => {
    for (const ts of [NOW - 300, NOW + 300]) {
      const { body, headers } = signed('standard', [SECRET], ts);
      expect(verify('standard', body, headers)).toEqual({ ok: true });
    }
    const { body, headers } = signed('standard', [SECRET], NOW - 60);
    expect(failure(verifyWebhook({ format: 'standard', secrets: [SECRET], headers, body, now: NOW, toleranceSeconds: 30 })).message).toContain(
      '60 s old, beyond the 30 s tolerance',
    );
  });

  it('checks the window against the real clock by default', () => {
    const { body, headers } = signed('standard', [SECRET], Math.floor(Date.now() / 1000));
    expect(verifyWebhook({ format: 'standard', secrets: [SECRET], headers, body })).toEqual({ ok: true });
    expect(verifyWebhook({ format: 'standard', secrets: [SECRET], ...signed('standard', [SECRET], NOW) }).ok).toBe(false);
  });

  it('refuses a malformed timestamp, saying seconds are expected', () => {
    const { body, headers } = signed('standard');
    const result = failure(verify('standard', body, { ...headers, 'webhook-timestamp': '2024-01-15T10:30:45Z' }));
    expect(result.reason).toBe('malformed_header');
    expect(result.message).toContain('webhook-timestamp must be Unix seconds');
    expect(failure(verify('standard', body, { ...headers, 'webhook-timestamp': String(NOW * 1000) })).message).toContain('looks like milliseconds');
  });

  it('refuses a signature header without v1 entries, saying what is expected', () => {
    const { body, headers } = signed('standard');
    const sig = headers['webhook-signature'] as string;
    const result = failure(verify('standard', body, { ...headers, 'webhook-signature': sig.slice(3) }));
    expect(result.reason).toBe('malformed_header');
    expect(result.message).toContain('space-separated "v1,<base64>" signatures');
  });

  it('finds the matching signature among several, other versions ignored', () => {
    const { body, headers } = signed('standard', [OTHER, SECRET]);
    const value = `v1a,ignored ${headers['webhook-signature'] as string}`;
    expect(verify('standard', body, { ...headers, 'webhook-signature': value })).toEqual({ ok: true });
  });

  it('accepts signatures split over repeated header values', () => {
    const { body, headers } = signed('standard', [OTHER, SECRET]);
    expect(verify('standard', body, { ...headers, 'webhook-signature': (headers['webhook-signature'] as string).split(' ') })).toEqual({ ok: true });
  });

  it('refuses a signature copied onto another id or timestamp (replay)', () => {
    const { body, headers } = signed('standard');
    expect(failure(verify('standard', body, { ...headers, 'webhook-id': 'evt_other' })).reason).toBe('no_matching_signature');
    expect(failure(verify('standard', body, { ...headers, 'webhook-timestamp': String(NOW - 1) })).reason).toBe('no_matching_signature');
  });

  it('mentions several secrets when several were tried', () => {
    const { body, headers } = signed('standard');
    expect(failure(verify('standard', body, headers, [OTHER, OTHER])).message).toContain('any of the 2 secrets');
  });
});

describe('verifyWebhook (vendor formats): headers', () => {
  it.each([
    ['axifi', 'x-webhook-signature'],
    ['axle', 'x-signature'],
  ] as const)('%s: names the missing %s header', (format, name) => {
    const { body, headers } = signed(format);
    const result = failure(verify(format, body, { ...headers, [name]: undefined }));
    expect(result.reason).toBe('missing_header');
    expect(result.message).toContain(`The ${name} header is missing`);
  });

  it('axifi: refuses a value without "sha256=", saying what is expected', () => {
    const { body, headers } = signed('axifi');
    const hex = (headers['x-webhook-signature'] as string).slice(7);
    const result = failure(verify('axifi', body, { ...headers, 'x-webhook-signature': hex }));
    expect(result.reason).toBe('malformed_header');
    expect(result.message).toContain('x-webhook-signature must be "sha256=" followed by 64 hex digits');
  });

  it('axle: refuses a base64 value, saying hex is expected', () => {
    const { body, headers } = signed('axle');
    const b64 = Buffer.from(headers['x-signature'] as string, 'hex').toString('base64');
    const result = failure(verify('axle', body, { ...headers, 'x-signature': b64 }));
    expect(result.reason).toBe('malformed_header');
    expect(result.message).toContain('x-signature must be 64 hex digits');
  });

  it('accepts upper-case hex and checks only the vendor header', () => {
    const { body, headers } = signed('axle');
    const upper = { 'X-Signature': (headers['x-signature'] as string).toUpperCase() };
    expect(verify('axle', body, upper)).toEqual({ ok: true });
    const hex = createHmac('sha256', SECRET).update(body).digest('hex');
    expect(verify('axle', body, { 'x-signature': hex })).toEqual({ ok: true });
  });
});
