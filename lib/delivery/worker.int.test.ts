import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb, useReceivers } from '@/test/suite';
import { useWorker } from '@/test/worker';
import { type Receiver } from '@/test/receiver';
import { newId } from '@/db/ids';
import { deliveries, endpoints, endpointSecrets, events } from '@/db/schema';
import { sealContext, sealSecret } from '@/lib/crypto';
import { setEnv } from '@/lib/env';
import { encodeBody, generateSecret, verifyWebhook } from '@/lib/signing';
import { publishEvent, sendTestEvent } from '@/lib/webhooks/events';
import { getDelivery, replayDelivery } from '@/lib/webhooks/deliveries';
import { makeOrg, publisher } from '@/test/factories';
import { DEFAULT_EVENT_TYPES } from '@/lib/webhooks/catalog';
import { addEndpoint, attemptsOf, deliveriesOf, until } from '@/test/delivery';
import { startWorker } from './worker';
import { apiAttempt } from '@/lib/api/serialize';

const compound = { id: 'compound-1', name: 'Aspirin', category: 'analgesic', efficacy: 0.92 };
const SAMPLE_INVESTIGATION = DEFAULT_EVENT_TYPES[1].sample;
const h = useTestDb();
const receiver = useReceivers();
const headersOf = (r: Receiver, i: number) => r.requests[i]!.headers as Record<string, string>;
useWorker([1.5, 1.5, 1.5], { id: 'wrk_test' });

describe('delivery worker', () => {
  it('delivers a published event signed, in the endpoint format, and records the attempt', async () => {
    const { orgId } = await makeOrg(h.db, []);
    const rx = await receiver();
    const std = await addEndpoint(h.db, orgId, rx.url + '?f=standard', { headers: { 'X-Api-Key': 'k1', 'webhook-id': 'spoof' } });
    const axifi = await addEndpoint(h.db, orgId, rx.url + '?f=axifi', { format: 'axifi', eventTypes: ['compound.created'] });
    await addEndpoint(h.db, orgId, rx.url + '?f=other', { eventTypes: ['investigation.updated'] });
    const { event, deliveries: n } = await publishEvent(publisher(orgId), 'compound.created', compound);
    expect(n).toBe(2);
    await rx.waitFor(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.requests).toHaveLength(2);
    for (const [ep, format] of [[std, 'standard'], [axifi, 'axifi']] as const) {
      const req = rx.requests.find((r) => r.path.endsWith(format))!;
      expect(req.method).toBe('POST');
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.headers['webhook-id']).toBe(event.id);
      expect(req.body).toBe(encodeBody(format, { id: event.id, type: 'compound.created', timestamp: event.createdAt, data: compound }));
      expect(verifyWebhook({ format, secrets: [ep.secret], headers: req.headers, body: req.body })).toEqual({ ok: true });
      expect(verifyWebhook({ format: 'standard', secrets: [ep.secret], headers: req.headers, body: req.body })).toEqual({ ok: true });
    }
    expect(rx.requests.find((r) => r.path.endsWith('standard'))!.headers['x-api-key']).toBe('k1');
    const [d] = await until(async () => {
      const rows = await deliveriesOf(h.db, event.id);
      return rows.every((r) => r.status === 'succeeded') && rows;
    });
    const detail = await getDelivery(orgId, d!.id);
    expect(detail.delivery).toMatchObject({ status: 'succeeded', attempts: 1, lastStatusCode: 200, nextAttemptAt: null });
    expect(detail.attempts).toHaveLength(1);
    expect(detail.attempts[0]).toMatchObject({ number: 1, responseStatus: 200, failureCause: null, tlsVersion: expect.stringMatching(/TLSv1\.[23]/) });
    expect(detail.attempts[0]!.finishedAt).toBeInstanceOf(Date);
    expect(detail.attempts[0]!.requestBody).toBe(rx.requests.find((r) => r.headers['webhook-id'] === event.id && r.path.endsWith(d!.endpointId === std.id ? 'standard' : 'axifi'))!.body);
    const [ep] = await h.db.select().from(endpoints).where(eq(endpoints.id, std.id));
    expect(ep).toMatchObject({ consecutiveFailures: 0, failingSince: null, enabled: true });
    expect(ep!.lastSuccessAt).toBeInstanceOf(Date);
  });

  it('records where each attempt\'s time went: DNS, connect and TLS on a new connection, none on a reused one', async () => {
    const { orgId } = await makeOrg(h.db, []);
    const rx = await receiver();
    await addEndpoint(h.db, orgId, rx.url);
    const deliver = async () => {
      const { event } = await publishEvent(publisher(orgId), 'compound.created', compound);
      const [d] = await until(async () => {
        const rows = await deliveriesOf(h.db, event.id);
        return rows.every((r) => r.status === 'succeeded') && rows;
      });
      return (await getDelivery(orgId, d!.id)).attempts[0]!;
    };
    const first = await deliver();
    expect(first).toMatchObject({ connectionReused: false, dnsMs: null }); // an IP address: no lookup
    expect(first.connectMs).toBeGreaterThanOrEqual(0);
    expect(first.tlsMs).toBeGreaterThan(0);
    expect(first.ttfbMs).toBeGreaterThanOrEqual(first.connectMs! + first.tlsMs!);
    expect(first.latencyMs).toBeGreaterThanOrEqual(first.ttfbMs!);
    const second = await deliver();
    expect(second).toMatchObject({ connectionReused: true, dnsMs: null, connectMs: null, tlsMs: null });
    expect(second.latencyMs).toBeGreaterThanOrEqual(second.ttfbMs!);
    // the API's attempt view carries the same figures
    expect(apiAttempt(first).timings).toEqual({
      dnsMs: null, connectMs: first.connectMs, tlsMs: first.tlsMs, ttfbMs: first.ttfbMs, totalMs: first.latencyMs, reused: false,
    });
  });

  it('sends a test event to its endpoint only, and a replay with the same webhook-id', async () => {
    const { orgId, actors } = await makeOrg(h.db, ['developer']);
    const rx = await receiver();
    const a = await addEndpoint(h.db, orgId, rx.url + '?ep=a');
    await addEndpoint(h.db, orgId, rx.url + '?ep=b');
    const { event, deliveryId } = await sendTestEvent(actors.developer, a.id, 'investigation.updated');
    await rx.waitFor(1);
    expect(rx.requests[0]!.path).toContain('ep=a');
    expect(JSON.parse(rx.requests[0]!.body).data.investigation_type).toBe('individual_investigation');
    await until(async () => (await getDelivery(orgId, deliveryId)).delivery.status === 'succeeded');
    expect((await getDelivery(orgId, deliveryId)).delivery.test).toBe(true);
    await replayDelivery(actors.developer, deliveryId);
    await rx.waitFor(2);
    expect(headersOf(rx, 1)['webhook-id']).toBe(event.id);
    const detail = await until(async () => {
      const d = await getDelivery(orgId, deliveryId);
      return d.delivery.status === 'succeeded' && d.attempts.length === 2 && d;
    });
    expect(detail.attempts.map((x) => x.number)).toEqual([1, 2]);
    expect(rx.requests).toHaveLength(2);
  });

  it('retries a failing receiver on the schedule: three attempts, same id, new timestamps, all recorded', async () => {
    const { orgId } = await makeOrg(h.db, []);
    const rx = await receiver();
    rx.queue.push({ kind: 'status', status: 500, body: 'boom' }, { kind: 'status', status: 503, headers: { 'retry-after': '1' } });
    await addEndpoint(h.db, orgId, rx.url);
    const { event } = await publishEvent(publisher(orgId), 'compound.created', compound);
    await rx.waitFor(3, 15_000);
    const ids = new Set(rx.requests.map((r) => r.headers['webhook-id']));
    expect([...ids]).toEqual([event.id]);
    const stamps = rx.requests.map((r) => Number(r.headers['webhook-timestamp']));
    expect(new Set(stamps).size).toBe(3);
    expect(rx.requests[1]!.at - rx.requests[0]!.at).toBeGreaterThanOrEqual(1150);
    const [d] = await until(async () => {
      const rows = await deliveriesOf(h.db, event.id);
      return rows[0]?.status === 'succeeded' && rows;
    });
    const list = await attemptsOf(h.db, d!.id);
    expect(list.map((a) => [a.number, a.responseStatus, a.failureCause])).toEqual([
      [1, 500, 'http_5xx'],
      [2, 503, 'http_5xx'],
      [3, 200, null],
    ]);
    expect(list[0]!.responseBody).toBe('boom');
    expect(list.map((a) => a.requestHeaders!['webhook-timestamp'])).toEqual(stamps.map(String));
    expect(d).toMatchObject({ attempts: 3, scheduleStep: 3, lastStatusCode: 200 });
  });

  it('records a timeout and a redirect (never followed) as failures and schedules the retry', async () => {
    const { orgId } = await makeOrg(h.db, []);
    const hang = await receiver();
    hang.fallback = { kind: 'hang' };
    const redirect = await receiver();
    redirect.fallback = { kind: 'redirect', location: redirect.url + '/elsewhere' };
    const a = await addEndpoint(h.db, orgId, hang.url);
    const b = await addEndpoint(h.db, orgId, redirect.url);
    const { event } = await publishEvent(publisher(orgId), 'compound.created', compound);
    const rows = await until(async () => {
      const r = await deliveriesOf(h.db, event.id);
      return r.every((x) => x.status === 'pending' && x.attempts === 1) && r;
    });
    const byEndpoint = new Map(rows.map((r) => [r.endpointId, r]));
    const [timeout] = await attemptsOf(h.db, byEndpoint.get(a.id)!.id);
    expect(timeout).toMatchObject({ failureCause: 'timeout', responseStatus: null });
    expect(timeout!.latencyMs).toBeGreaterThanOrEqual(900);
    const [redirected] = await attemptsOf(h.db, byEndpoint.get(b.id)!.id);
    expect(redirected).toMatchObject({ failureCause: 'redirect', responseStatus: 302 });
    expect(redirect.requests.map((r) => r.path)).toEqual(['/webhook']);
    expect(byEndpoint.get(b.id)!.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now());
    const [ep] = await h.db.select().from(endpoints).where(eq(endpoints.id, b.id));
    expect(ep).toMatchObject({ consecutiveFailures: 1, enabled: true });
    expect(ep!.failingSince).toBeInstanceOf(Date);
  });

  it('disables an endpoint that answers 410 Gone; its other deliveries wait', async () => {
    const { orgId } = await makeOrg(h.db, []);
    const rx = await receiver();
    rx.fallback = { kind: 'status', status: 410 };
    const ep = await addEndpoint(h.db, orgId, rx.url);
    // another delivery of the endpoint, due later (inserted as publish would, without waking the worker)
    const second = { event: { id: newId('evt') } };
    await h.db.insert(events).values({ id: second.event.id, orgId, type: 'investigation.updated', data: JSON.stringify(SAMPLE_INVESTIGATION) });
    await h.db.insert(deliveries).values({
      id: newId('dlv'), orgId, eventId: second.event.id, endpointId: ep.id, eventType: 'investigation.updated', nextAttemptAt: new Date(Date.now() + 600_000),
    });
    const first = await publishEvent(publisher(orgId), 'compound.created', compound);
    await rx.waitFor(1);
    const [row] = await until(async () => {
      const r = await h.db.select().from(endpoints).where(eq(endpoints.id, ep.id));
      return !r[0]!.enabled && r;
    });
    expect(row).toMatchObject({ enabled: false, disabledReason: 'The endpoint answered 410 Gone', consecutiveFailures: 1 });
    expect(row!.disabledAt).toBeInstanceOf(Date);
    // the other delivery falls due while the endpoint is disabled: it waits, neither sent nor dropped
    await h.db.update(deliveries).set({ nextAttemptAt: new Date() }).where(eq(deliveries.eventId, second.event.id));
    await new Promise((r) => setTimeout(r, 1500));
    expect(rx.requests).toHaveLength(1);
    const [waiting] = await deliveriesOf(h.db, second.event.id);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0 });
    const [gone] = await deliveriesOf(h.db, first.event.id);
    expect((await attemptsOf(h.db, gone!.id))[0]).toMatchObject({ responseStatus: 410, failureCause: 'http_4xx' });
    expect((await publishEvent(publisher(orgId), 'compound.created', compound)).deliveries).toBe(0);
  });

  it('disables an endpoint after 5 days without a success', async () => {
    const { orgId } = await makeOrg(h.db, []);
    const rx = await receiver();
    rx.fallback = { kind: 'status', status: 500 };
    const ep = await addEndpoint(h.db, orgId, rx.url);
    const since = new Date(Date.now() - 5 * 24 * 3600_000 - 60_000);
    await h.db.update(endpoints).set({ failingSince: since, consecutiveFailures: 40 }).where(eq(endpoints.id, ep.id));
    await publishEvent(publisher(orgId), 'compound.created', compound);
    const [row] = await until(async () => {
      const r = await h.db.select().from(endpoints).where(eq(endpoints.id, ep.id));
      return !r[0]!.enabled && r;
    });
    expect(row!.disabledReason).toMatch(/^No delivery has succeeded for 5 days \(failing since \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/);
    expect(row!.consecutiveFailures).toBe(41);
    expect(row!.failingSince!.getTime()).toBe(since.getTime());
  });

  it('signs with both secrets during a rotation, the vendor header with the previous one', async () => {
    const { orgId } = await makeOrg(h.db, []);
    const rx = await receiver();
    const ep = await addEndpoint(h.db, orgId, rx.url, { format: 'axifi' });
    const [old] = await h.db.select().from(endpointSecrets).where(eq(endpointSecrets.endpointId, ep.id));
    await h.db.update(endpointSecrets).set({ expiresAt: new Date(Date.now() + 3600_000) }).where(eq(endpointSecrets.id, old!.id));
    const fresh = generateSecret();
    await h.db.insert(endpointSecrets).values({ id: newId('sec'), orgId, endpointId: ep.id, sealed: sealSecret(fresh, sealContext.endpointSecret(ep.id)) });
    await publishEvent(publisher(orgId), 'compound.created', compound);
    const [req] = await rx.waitFor(1);
    expect(req!.headers['webhook-signature']!.toString().split(' ')).toHaveLength(2);
    for (const s of [ep.secret, fresh]) expect(verifyWebhook({ format: 'standard', secrets: [s], headers: req!.headers, body: req!.body }).ok).toBe(true);
    expect(verifyWebhook({ format: 'axifi', secrets: [ep.secret], headers: req!.headers, body: req!.body }).ok).toBe(true);
    expect(verifyWebhook({ format: 'axifi', secrets: [fresh], headers: req!.headers, body: req!.body }).ok).toBe(false);
  });

  it('refuses to start when the lease does not outlast the timeout by 10 s', () => {
    setEnv({ WEBHOOK_LEASE_MS: 10_999 });
    try {
      expect(() => startWorker()).toThrow(/WEBHOOK_LEASE_MS \(10999\) must exceed WEBHOOK_TIMEOUT_MS \(1000\) by at least 10000/);
    } finally {
      setEnv({ WEBHOOK_LEASE_MS: 11_000 });
    }
  });
});
