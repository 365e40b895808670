import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeBody, generateSecret, signatureHeaders } from './index';

// Fixed inputs; expected values are computed here with node:crypto, not with the library.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NEXT_SECRET = 'whsec_c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24tdGVzdHM=';
const ID = 'evt_2mVq8GkqTn3vYc6b0lJ1WdXh';
const TS = 1705314645;
const event = {
  id: ID,
  type: 'compound.created',
  timestamp: new Date('2024-01-15T10:30:45.000Z'),
  data: { id: 'compound-123', name: 'Aspirin', category: 'analgesic', efficacy: 0.92 },
};

const standardSig = (secret: string, body: string) =>
  'v1,' + createHmac('sha256', Buffer.from(secret.slice(6), 'base64')).update(`${ID}.${TS}.${body}`).digest('base64');
const vendorHex = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

describe('signatureHeaders', () => {
  it('signs the standard format with the webhook-* headers only', () => {
    const body = encodeBody('standard', event);
    const headers = signatureHeaders({ format: 'standard', secrets: [SECRET], id: ID, timestamp: TS, body });
    expect(headers).toEqual({
      'webhook-id': ID,
      'webhook-timestamp': '1705314645',
      'webhook-signature': standardSig(SECRET, body),
    });
  });

  it('adds x-webhook-signature: sha256=<hex> keyed by the whole secret string for axifi', () => {
    const body = encodeBody('axifi', event);
    const headers = signatureHeaders({ format: 'axifi', secrets: [SECRET], id: ID, timestamp: TS, body });
    expect(headers).toEqual({
      'webhook-id': ID,
      'webhook-timestamp': '1705314645',
      'webhook-signature': standardSig(SECRET, body),
      'x-webhook-signature': 'sha256=' + vendorHex(SECRET, body),
    });
  });

  it('adds x-signature: <hex> keyed by the whole secret string for axle', () => {
    const body = encodeBody('axle', { ...event, type: 'investigation.updated' });
    const headers = signatureHeaders({ format: 'axle', secrets: [SECRET], id: ID, timestamp: TS, body });
    expect(headers).toEqual({
      'webhook-id': ID,
      'webhook-timestamp': '1705314645',
      'webhook-signature': standardSig(SECRET, body),
      'x-signature': vendorHex(SECRET, body),
    });
  });

  it('matches the Standard Webhooks reference vector', () => {
    const headers = signatureHeaders({
      format: 'standard',
      secrets: [SECRET],
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: 1614265330,
      body: '{"test": 2432232314}',
    });
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('signs with every secret during a rotation; the vendor header uses secrets[0] only', () => {
    const body = encodeBody('axifi', event);
    const headers = signatureHeaders({ format: 'axifi', secrets: [SECRET, NEXT_SECRET], id: ID, timestamp: TS, body });
    expect(headers['webhook-signature']).toBe(`${standardSig(SECRET, body)} ${standardSig(NEXT_SECRET, body)}`);
    expect(headers['x-webhook-signature']).toBe('sha256=' + vendorHex(SECRET, body));
    const after = signatureHeaders({ format: 'axle', secrets: [NEXT_SECRET, SECRET], id: ID, timestamp: TS, body });
    expect(after['x-signature']).toBe(vendorHex(NEXT_SECRET, body));
  });

  it('signs non-ASCII bodies as UTF-8', () => {
    const body = '{"name":"Ibuprofène 😀"}';
    const headers = signatureHeaders({ format: 'axle', secrets: [SECRET], id: ID, timestamp: TS, body });
    expect(headers['x-signature']).toBe(createHmac('sha256', Buffer.from(SECRET, 'utf8')).update(Buffer.from(body, 'utf8')).digest('hex'));
    expect(headers['webhook-signature']).toBe(standardSig(SECRET, body));
  });

  it('refuses an empty secret list and secrets that are not whsec_<base64>, without echoing them', () => {
    const sign = (secrets: string[]) => () => signatureHeaders({ format: 'standard', secrets, id: ID, timestamp: TS, body: '{}' });
    expect(sign([])).toThrow(/secrets is empty/);
    expect(sign(['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'])).toThrow(/secrets\[0\] is not a signing secret.*without the "whsec_" prefix/);
    expect(sign([SECRET, 'whsec_not base64!'])).toThrow(/secrets\[1\] is not a signing secret/);
    expect(sign(['whsec_'])).toThrow(/is not a signing secret/);
    expect(sign(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS'])).toThrow(/not padded standard base64/);
    expect(sign(['whsec_SECRET-VALUE'])).toThrow(/is not a signing secret/);
    expect(sign(['whsec_SECRET-VALUE'])).not.toThrow(/SECRET-VALUE/);
  });

  it('refuses a bad id, timestamp or format', () => {
    const base = { format: 'standard' as const, secrets: [SECRET], id: ID, timestamp: TS, body: '{}' };
    expect(() => signatureHeaders({ ...base, id: 'evt 1\r\nx-evil: 1' })).toThrow(/id must be/);
    expect(() => signatureHeaders({ ...base, timestamp: 1705314645123.5 })).toThrow(/Unix seconds/);
    expect(() => signatureHeaders({ ...base, format: 'svix' as never })).toThrow(/unknown format "svix"/);
  });
});

describe('generateSecret', () => {
  it('makes "whsec_" + padded standard base64 of 24–32 random bytes, different every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const secret = generateSecret();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
      const encoded = secret.slice(6);
      expect(encoded.length % 4).toBe(0);
      const bytes = Buffer.from(encoded, 'base64');
      expect(bytes.length).toBeGreaterThanOrEqual(24);
      expect(bytes.length).toBeLessThanOrEqual(32);
      expect(bytes.toString('base64')).toBe(encoded);
      seen.add(secret);
    }
    expect(seen.size).toBe(200);
    expect(() => signatureHeaders({ format: 'standard', secrets: [generateSecret()], id: ID, timestamp: TS, body: '{}' })).not.toThrow();
  });
});
