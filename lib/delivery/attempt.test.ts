import { describe, expect, it } from 'vitest';
import { generateSecret, verifyWebhook } from '@/lib/signing';
import { buildRequest, endpointChanges, outcomeOf, type Finished } from './attempt';
import type { Claimed } from './claim';

const claimed = (over: Partial<Claimed> = {}): Claimed => ({
  id: 'dlv_1',
  orgId: 'org_1',
  eventId: 'evt_01jd0000000000000000000000',
  endpointId: 'ep_1',
  attempt: 1,
  step: 1,
  attemptId: 'att_1_1',
  type: 'compound.created',
  data: '{"zeta":1,"alpha":2}',
  eventAt: Date.parse('2024-01-15T10:30:45.000Z'),
  url: 'https://127.0.0.1:1/hook',
  format: 'standard',
  headers: {},
  rateLimitPerSecond: null,
  secrets: [],
  ...over,
});

describe('buildRequest', () => {
  it('signs the body of the endpoint format with the attempt time, keeping custom headers but never over ours', () => {
    const secret = generateSecret();
    const now = Date.parse('2024-01-15T11:00:00.900Z');
    const req = buildRequest(claimed({ format: 'axle', headers: { 'X-Tenant': 't1', 'Webhook-Id': 'spoof', 'Content-Type': 'text/plain' } }), [secret], now);
    expect(req.body).toBe('{"event_type":"compound.created","zeta":1,"alpha":2,"timestamp":"2024-01-15T10:30:45.000Z"}');
    expect(req.headers).toMatchObject({ 'X-Tenant': 't1', 'content-type': 'application/json', 'webhook-timestamp': String(Math.floor(now / 1000)) });
    expect(req.headers['webhook-id']).toBe('evt_01jd0000000000000000000000');
    expect(Object.keys(req.headers).filter((k) => k.toLowerCase() === 'webhook-id' || k.toLowerCase() === 'content-type')).toHaveLength(2);
    expect(verifyWebhook({ format: 'axle', secrets: [secret], headers: req.headers, body: req.body })).toEqual({ ok: true });
    expect(verifyWebhook({ format: 'standard', secrets: [secret], headers: req.headers, body: req.body, now: now / 1000 })).toEqual({ ok: true });
  });

  it('refuses to send without a live secret', () => {
    expect(() => buildRequest(claimed(), [], Date.now())).toThrow(/no live signing secret/);
  });
});

describe('outcomeOf', () => {
  const schedule = [5, 300];
  const fail = { ok: false, status: 500, latencyMs: 10 };
  it('succeeds on ok, retries on the schedule, fails after the last step', () => {
    expect(outcomeOf({ ok: true, status: 204, latencyMs: 1 }, 1, schedule, 0)).toEqual({ status: 'succeeded', nextAttemptAt: null });
    expect(outcomeOf(fail, 1, schedule, 1000, () => 0.5)).toEqual({ status: 'pending', nextAttemptAt: 6000 });
    expect(outcomeOf(fail, 2, schedule, 1000, () => 0.5)).toEqual({ status: 'pending', nextAttemptAt: 301_000 });
    expect(outcomeOf(fail, 3, schedule, 1000)).toEqual({ status: 'failed', nextAttemptAt: null });
  });
  it('honours Retry-After on 429 and 503 only', () => {
    expect(outcomeOf({ ok: false, status: 429, latencyMs: 1, retryAfterSeconds: 8 }, 1, schedule, 0).nextAttemptAt).toBe(8000);
    expect(outcomeOf({ ok: false, status: 500, latencyMs: 1, retryAfterSeconds: 8 }, 1, schedule, 0, () => 0.5).nextAttemptAt).toBe(5000);
  });
});

describe('endpointChanges', () => {
  const done = (endpointId: string, finishedAt: number, ok: boolean, status = ok ? 200 : 500): Finished => ({
    claimed: claimed({ endpointId }),
    request: null,
    result: { ok, status, latencyMs: 1 },
    startedAt: finishedAt - 1,
    finishedAt,
  });
  it('counts the failures after the last success of each endpoint, in finishing order', () => {
    const changes = endpointChanges([done('a', 3000, false), done('a', 1000, false), done('a', 2000, true), done('b', 500, false), done('b', 900, false, 410)]);
    expect(changes).toEqual([
      { id: 'b', last_success_at: null, failures: 2, first_failure_at: new Date(500).toISOString(), gone: true, gone_at: new Date(900).toISOString() },
      { id: 'a', last_success_at: new Date(2000).toISOString(), failures: 1, first_failure_at: new Date(3000).toISOString(), gone: false, gone_at: null },
    ]);
  });
});
