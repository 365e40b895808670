import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { encodeBody, generateSecret, signatureHeaders, verifyWebhook } from './index';

const event = {
  id: 'evt_2mVq8GkqTn3vYc6b',
  type: 'compound.created',
  timestamp: new Date('2024-01-15T10:30:45.000Z'),
  data: { id: 'compound-123', name: 'Ibuprofène 😀', category: 'analgesic', efficacy: 0.92 },
};
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('interop with the standardwebhooks npm package', () => {
  it('its Webhook.verify accepts our standard signatures, for generated secrets too', () => {
    for (const secret of ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', generateSecret(), generateSecret()]) {
      const body = encodeBody('standard', event);
      const headers = signatureHeaders({ format: 'standard', secrets: [secret], id: event.id, timestamp: nowSeconds(), body });
      expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    }
  });

  it('its Webhook.verify accepts our headers during a rotation with either secret', () => {
    const [previous, next] = [generateSecret(), generateSecret()];
    const body = encodeBody('axle', event);
    const headers = signatureHeaders({ format: 'axle', secrets: [previous, next], id: event.id, timestamp: nowSeconds(), body });
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(next).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow(/No matching signature/);
  });

  it('its Webhook.verify refuses our signature on a tampered body', () => {
    const secret = generateSecret();
    const body = encodeBody('standard', event);
    const headers = signatureHeaders({ format: 'standard', secrets: [secret], id: event.id, timestamp: nowSeconds(), body });
    expect(() => new Webhook(secret).verify(body.replace('analgesic', 'placebo'), headers)).toThrow(/No matching signature/);
  });

  it('our verifyWebhook accepts what its sign(msgId, date, payload) produces', () => {
    const secret = generateSecret();
    const body = encodeBody('standard', event);
    const date = new Date();
    const signature = new Webhook(secret).sign(event.id, date, body);
    const headers = { 'webhook-id': event.id, 'webhook-timestamp': String(Math.floor(date.getTime() / 1000)), 'webhook-signature': signature };
    expect(verifyWebhook({ format: 'standard', secrets: [secret], headers, body })).toEqual({ ok: true });
    expect(verifyWebhook({ format: 'standard', secrets: [generateSecret()], headers, body })).toMatchObject({ ok: false, reason: 'no_matching_signature' });
  });

  it('both produce the same signature for the same input', () => {
    const secret = generateSecret();
    const date = new Date(1705314645_000);
    const ours = signatureHeaders({ format: 'standard', secrets: [secret], id: 'msg_1', timestamp: 1705314645, body: '{"a":1}' });
    expect(ours['webhook-signature']).toBe(new Webhook(secret).sign('msg_1', date, '{"a":1}'));
  });
});
