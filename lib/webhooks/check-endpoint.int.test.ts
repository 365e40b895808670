import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createTestDb } from '@/test/db';
import { startReceiver, type Receiver } from '@/test/receiver';
import type { DbHandle } from '@/db/client';
import { setEnv } from '@/lib/env';
import { verifyWebhook, type WireFormat } from '@/lib/signing';
import { errorOf, makeOrg } from '@/test/factories';
import { createEndpoint } from './endpoints';
import { NotFoundError } from '@/lib/errors';
import { ForbiddenError } from '@/lib/auth/permissions';
import { listAuditLog } from '@/lib/audit/log';
import { checkEndpoint } from './check-endpoint';

// Generated keys go to a throw-away folder, never ./data; loopback receivers are allowed as in the e2e server.
process.env.DATA_DIR ??= path.resolve('.test-data', `check-endpoint-${randomBytes(4).toString('hex')}`);
process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = 'true';

let h: DbHandle;
let org: Awaited<ReturnType<typeof makeOrg>>;
const receivers: Receiver[] = [];

// A receiver that verifies like the docs tell customers to (verifyWebhook, 5-minute tolerance) and answers 401 otherwise.
async function verifyingReceiver(format: WireFormat) {
  const state = { secret: '' };
  const r = await startReceiver({
    handler: (req) => {
      const v = verifyWebhook({ format, secrets: [state.secret], headers: req.headers, body: req.body });
      return v.ok ? { kind: 'ok' } : { kind: 'status', status: 401, body: JSON.stringify({ error: v.message }) };
    },
  });
  receivers.push(r);
  const { endpoint, secret } = await createEndpoint(org.actors.developer, { url: r.url, eventTypes: ['compound.created'], format });
  state.secret = secret;
  return { r, endpoint, secret };
}

async function receiver() {
  const r = await startReceiver();
  receivers.push(r);
  const { endpoint } = await createEndpoint(org.actors.developer, { url: r.url, eventTypes: ['*'], headers: { 'X-Tenant': 'acme' } });
  return { r, endpoint };
}

beforeAll(async () => {
  setEnv({ WEBHOOK_ALLOW_PRIVATE_TARGETS: true, WEBHOOK_TIMEOUT_MS: 5000 });
  h = await createTestDb();
  org = await makeOrg(h.db);
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await h?.close();
});

describe('checkEndpoint', () => {
  it('passes a receiver that verifies signatures and timestamps, and reports its TLS', async () => {
    const { r, endpoint } = await verifyingReceiver('standard');
    const report = await checkEndpoint(org.actors.developer, endpoint.id);
    expect(report.probes.map((p) => [p.kind, p.status, p.verdict])).toEqual([
      ['signed', 200, 'pass'],
      ['forged', 401, 'pass'],
      ['stale', 401, 'pass'],
    ]);
    expect(report.findings).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    expect(report.certExpiresAt).toBeInstanceOf(Date);
    // The first request opens the connection (TLS timed), the next ones reuse it.
    const [signed, forged] = report.probes;
    expect(signed.timings).toMatchObject({ reused: false, tlsMs: expect.any(Number), connectMs: expect.any(Number) });
    expect(signed.timings!.tlsMs).toBeGreaterThan(0);
    expect(signed.timings!.totalMs).toBeGreaterThanOrEqual(Math.floor(signed.timings!.ttfbMs!));
    expect(forged.timings).toMatchObject({ reused: true, dnsMs: null, connectMs: null, tlsMs: null });
    // Three real requests, each its own event id, with the sample of a subscribed type; none stored as a delivery.
    expect(r.requests).toHaveLength(3);
    expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(3);
    expect(JSON.parse(r.requests[0]!.body)).toMatchObject({ type: 'compound.created', data: { name: 'Aspirin' } });
    const stale = Number(r.requests[2]!.headers['webhook-timestamp']);
    expect(Math.floor(Date.now() / 1000) - stale).toBeGreaterThanOrEqual(599);
    const n = await h.db.$count((await import('@/db/schema')).deliveries);
    expect(n).toBe(0);
  });

  it('reports a receiver that accepts everything: forged signature and stale timestamp are security findings', async () => {
    const { r, endpoint } = await receiver();
    const report = await checkEndpoint(org.actors.developer, endpoint.id);
    expect(report.probes.map((p) => p.verdict)).toEqual(['pass', 'finding', 'finding']);
    expect(report.findings).toHaveLength(2);
    expect(report.findings[0]).toMatch(/^Your endpoint accepted a forged signature/);
    expect(report.findings[1]).toMatch(/^Your endpoint accepted a replayed \(stale\) timestamp/);
    // The endpoint's custom headers go with every probe.
    expect(r.requests.every((q) => q.headers['x-tenant'] === 'acme')).toBe(true);
  });

  it('checks a vendor format by its own header, without a stale-timestamp probe', async () => {
    const { r, endpoint } = await verifyingReceiver('axifi');
    const report = await checkEndpoint(org.actors.developer, endpoint.id);
    expect(report.probes.map((p) => [p.kind, p.verdict])).toEqual([['signed', 'pass'], ['forged', 'pass']]);
    expect(r.requests[1]!.headers['x-webhook-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(JSON.parse(r.requests[0]!.body)).toHaveProperty('event', 'compound.created');
  });

  it('cannot judge the rejections of a receiver that rejects everything', async () => {
    const { r, endpoint } = await receiver();
    r.fallback = { kind: 'status', status: 500 };
    const report = await checkEndpoint(org.actors.developer, endpoint.id);
    expect(report.probes.map((p) => p.verdict)).toEqual(['warning', 'inconclusive', 'inconclusive']);
    expect(report.warnings[0]).toMatch(/rejected a correctly signed request \(HTTP 500\)/);
    expect(report.findings).toEqual([]);
  });

  it('sends one request to an endpoint it cannot reach', async () => {
    const { r, endpoint } = await receiver();
    await r.close();
    receivers.splice(receivers.indexOf(r), 1);
    const report = await checkEndpoint(org.actors.developer, endpoint.id);
    expect(report.probes[0]).toMatchObject({ kind: 'signed', verdict: 'warning', status: null });
    expect(report.probes[0]!.message).toMatch(/refused/i);
    expect(report.probes.slice(1).every((p) => p.verdict === 'inconclusive' && /Not sent/.test(p.message))).toBe(true);
  });

  it('warns when the certificate expires within 14 days', async () => {
    const { endpoint } = await receiver();
    const first = await checkEndpoint(org.actors.developer, endpoint.id);
    const expires = first.certExpiresAt!.getTime();
    const report = await checkEndpoint(org.actors.developer, endpoint.id, { now: () => expires - 5 * 86_400_000 - 60_000 });
    expect(report.warnings.at(-1)).toMatch(/TLS certificate expires on \d{4}-\d{2}-\d{2} \(in 5 days\)/);
  });

  it('sends the real custom header values, is audited as endpoint.checked, and is not for viewers', async () => {
    const { r, endpoint } = await receiver();
    expect(await errorOf(checkEndpoint(org.actors.viewer, endpoint.id))).toBeInstanceOf(ForbiddenError);
    await checkEndpoint(org.actors.developer, endpoint.id);
    expect(r.requests.map((q) => q.headers['x-tenant'])).toEqual(['acme', 'acme', 'acme']);
    const { data } = await listAuditLog(org.orgId);
    expect(data[0]).toMatchObject({ action: 'endpoint.checked', target: endpoint.id, actor: org.actors.developer.label });
  });

  it("is scoped to the organization: another org's endpoint is not found", async () => {
    const { endpoint } = await receiver();
    const other = await makeOrg(h.db, ['owner']);
    expect(await errorOf(checkEndpoint(other.actors.owner, endpoint.id))).toBeInstanceOf(NotFoundError);
  });
});
