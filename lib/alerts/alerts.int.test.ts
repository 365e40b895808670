import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { useTestDb, useReceivers } from '@/test/suite';
import { useWorker } from '@/test/worker';
import { startSmtpSink, type SmtpSink } from '@/test/smtp';
import { alerts, deliveries, endpoints } from '@/db/schema';
import { setEnv } from '@/lib/env';
import { publishEvent, sendTestEvent } from '@/lib/webhooks/events';
import { replayDelivery } from '@/lib/webhooks/deliveries';
import { listEndpoints, setEndpointEnabled } from '@/lib/webhooks/endpoints';
import { makeOrg, publisher, errorOf } from '@/test/factories';
import { addEndpoint, until } from '@/test/delivery';
import { startWorker, type Worker } from '@/lib/delivery/worker';
import { scanEndpoints } from './detect';
import { getAlertsView, revealAlertWebhookSecrets, saveAlertSettings } from './settings';

const compound = { id: 'compound-1', name: 'Aspirin', category: 'analgesic', efficacy: 0.92 };
const h = useTestDb();
const receiver = useReceivers();
let smtp: SmtpSink;

type Verified = { id: string; type: string; timestamp: string; data: Record<string, unknown> };

// An organization whose alerts go to ops@example.com and to an operational webhook on its own receiver; what that
// receiver got, verified with the standardwebhooks package (a bad signature throws).
async function orgWithAlerts() {
  const { orgId, actors } = await makeOrg(h.db, ['admin']);
  const ops = await receiver();
  const email = `ops-${orgId.slice(-6)}@example.com`;
  await saveAlertSettings(actors.admin, { emails: [email], webhookUrl: ops.url });
  const [{ secret }] = await revealAlertWebhookSecrets(actors.admin);
  const wh = new Webhook(secret!);
  const verified = () => ops.requests.map((r) => wh.verify(r.body, r.headers as Record<string, string>) as Verified);
  const mails = () => smtp.mails.filter((m) => m.to.includes(email));
  return { orgId, admin: actors.admin, ops, verified, mails };
}

const settle = () => new Promise((r) => setTimeout(r, 800)); // several alert scans (every 100 ms)

beforeAll(async () => {
  smtp = await startSmtpSink({ credentials: true });
  setEnv({ SMTP_URL: smtp.url, SMTP_FROM: 'Hookrelay Alerts <alerts@hookrelay.test>' });
}, 90_000);
afterAll(async () => {
  await smtp?.close();
  setEnv({ SMTP_URL: undefined });
});
useWorker([0.2, 0.2], { id: 'wrk_alerts', alertScanMs: 100 });

describe('alerts', () => {
  it('delivery.exhausted: a webhook per exhaustion (published and replayed), one email at once, then one digest per hour', async () => {
    const o = await orgWithAlerts();
    const rx = await receiver();
    rx.fallback = { kind: 'status', status: 500, body: 'down' };
    const ep = await addEndpoint(h.db, o.orgId, rx.url);
    const { event } = await publishEvent(publisher(o.orgId), 'compound.created', compound);
    const first = await until(async () => o.verified().find((v) => v.type === 'delivery.exhausted'), 10_000, 'the exhausted alert');
    const [d] = await h.db.select().from(deliveries).where(eq(deliveries.eventId, event.id));
    expect(first.data).toEqual({ endpointId: ep.id, url: rx.url, reason: expect.stringContaining(d!.id), deliveryId: d!.id, lastStatus: 500, cause: 'http_5xx' });
    expect(Object.keys(first)).toEqual(['id', 'type', 'timestamp', 'data']);
    await until(async () => o.mails().length === 1 && o.mails(), 5000, 'the first email');
    expect(o.mails()[0]!.subject).toContain('delivery.exhausted');
    expect(o.mails()[0]!.from).toBe('alerts@hookrelay.test');
    expect(o.mails()[0]!.raw).toContain(d!.id);

    // a replay that fails again is a new exhaustion; a second published event too
    await replayDelivery(o.admin, d!.id);
    await publishEvent(publisher(o.orgId), 'compound.created', compound);
    await until(async () => o.verified().filter((v) => v.type === 'delivery.exhausted').length === 3, 10_000, 'three exhausted alerts');
    await settle();
    expect(o.verified().filter((v) => v.type === 'delivery.exhausted')).toHaveLength(3); // once per exhaustion
    expect(o.mails()).toHaveLength(1); // the others wait for the digest
    // an hour later: one digest with both
    await h.db.update(alerts).set({ emailSentAt: new Date(Date.now() - 3_700_000) }).where(eq(alerts.emailStatus, 'sent'));
    await until(async () => o.mails().length === 2, 5000, 'the digest');
    await settle();
    expect(o.mails()).toHaveLength(2);
    expect(o.mails()[1]!.subject).toContain('2 deliveries');
    // SMTP credentials never reach the page or the mail
    const view = await getAlertsView(o.admin);
    expect(JSON.stringify(view)).not.toContain('s3cret-pass');
    expect(o.mails()[1]!.raw).not.toContain('s3cret-pass');
    expect(view.recent.filter((a) => a.type === 'delivery.exhausted').map((a) => a.webhookStatus)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('endpoint.failing, endpoint.disabled, endpoint.enabled: each once per state change, even with several scanners', async () => {
    const o = await orgWithAlerts();
    const rx = await receiver();
    rx.fallback = { kind: 'status', status: 500 };
    const ep = await addEndpoint(h.db, o.orgId, rx.url);
    // 25 h of failures without a success
    const since = new Date(Date.now() - 25 * 3600_000);
    await h.db.update(endpoints).set({ failingSince: since, consecutiveFailures: 12 }).where(eq(endpoints.id, ep.id));
    await Promise.all([scanEndpoints(h.db, Date.now()), scanEndpoints(h.db, Date.now()), scanEndpoints(h.db, Date.now())]);
    const failing = await until(async () => o.verified().find((v) => v.type === 'endpoint.failing'), 5000, 'endpoint.failing');
    expect(failing.data).toEqual({
      endpointId: ep.id,
      url: rx.url,
      reason: `No delivery has succeeded since ${since.toISOString()}`,
      disableAt: new Date(since.getTime() + 5 * 86_400_000).toISOString(),
    });
    // 6 days on (the same run of failures, already alerted — in real time failing_since does not move): the next
    // failure disables it (record.ts), and endpoint.disabled says why
    const sixDays = new Date(Date.now() - 6 * 86_400_000);
    await h.db.update(endpoints).set({ failingSince: sixDays, alertedFailingSince: sixDays }).where(eq(endpoints.id, ep.id));
    await publishEvent(publisher(o.orgId), 'compound.created', compound);
    const disabled = await until(async () => o.verified().find((v) => v.type === 'endpoint.disabled'), 10_000, 'endpoint.disabled');
    expect(disabled.data).toMatchObject({ endpointId: ep.id, reason: expect.stringMatching(/^No delivery has succeeded for 5 days/) });
    await setEndpointEnabled(o.admin, ep.id, true);
    const enabled = await until(async () => o.verified().find((v) => v.type === 'endpoint.enabled'), 5000, 'endpoint.enabled');
    expect(enabled.data).toMatchObject({ endpointId: ep.id, url: rx.url });
    await Promise.all([scanEndpoints(h.db, Date.now()), scanEndpoints(h.db, Date.now())]);
    await settle();
    const types = o.verified().map((v) => v.type).filter((t) => t !== 'delivery.exhausted');
    expect(types.sort()).toEqual(['endpoint.disabled', 'endpoint.enabled', 'endpoint.failing']);
    await until(async () => o.mails().filter((m) => !m.subject.includes('delivery.exhausted')).length === 3, 5000, 'three emails');
    const subjects = o.mails().map((m) => m.subject.split(':')[0]).filter((s) => !s!.includes('exhausted'));
    expect(subjects.sort()).toEqual(['[Hookrelay] endpoint.disabled', '[Hookrelay] endpoint.enabled', '[Hookrelay] endpoint.failing']);
  });

  it('410 Gone disables with that reason; a member’s own Disable raises nothing', async () => {
    const o = await orgWithAlerts();
    const gone = await receiver();
    gone.fallback = { kind: 'status', status: 410 };
    const ep = await addEndpoint(h.db, o.orgId, gone.url);
    const other = await addEndpoint(h.db, o.orgId, (await receiver()).url, { eventTypes: ['investigation.updated'] });
    await setEndpointEnabled(o.admin, other.id, false);
    await publishEvent(publisher(o.orgId), 'compound.created', compound);
    const disabled = await until(async () => o.verified().find((v) => v.type === 'endpoint.disabled'), 10_000, 'endpoint.disabled');
    expect(disabled.data).toMatchObject({ endpointId: ep.id, reason: 'The endpoint answered 410 Gone' });
    await settle();
    expect(o.verified().filter((v) => v.type === 'endpoint.disabled')).toHaveLength(1);
  });

  it('test events never raise alerts, and the operational webhook never alerts about itself', async () => {
    const o = await orgWithAlerts();
    o.ops.fallback = { kind: 'status', status: 500 };
    const rx = await receiver();
    rx.fallback = { kind: 'status', status: 500 };
    const ep = await addEndpoint(h.db, o.orgId, rx.url);
    const { deliveryId } = await sendTestEvent(o.admin, ep.id, 'compound.created');
    await until(async () => (await h.db.select().from(deliveries).where(eq(deliveries.id, deliveryId)))[0]?.status === 'failed', 10_000);
    await settle();
    expect(await h.db.select().from(alerts).where(eq(alerts.orgId, o.orgId))).toHaveLength(0);
    // a real exhaustion: the failing operational webhook gets it (and fails for good), and raises nothing of its own
    await publishEvent(publisher(o.orgId), 'compound.created', compound);
    await until(async () => o.ops.requests.length >= 3, 10_000, 'three attempts to the operational webhook');
    await settle();
    const rows = await h.db.select().from(alerts).where(eq(alerts.orgId, o.orgId));
    expect(rows.map((r) => [r.type, r.endpointId])).toEqual([['delivery.exhausted', ep.id]]);
    expect(o.ops.requests).toHaveLength(3);
  });

  it('keeps the operational webhook out of the endpoint list, and bounds and checks what is saved', async () => {
    const o = await orgWithAlerts();
    expect(await listEndpoints(o.orgId)).toEqual([]);
    const view = await getAlertsView(o.admin);
    expect(view.webhook).toMatchObject({ url: o.ops.url, enabled: true });
    expect(view.emailEnabled).toBe(true);
    const tooMany = await errorOf(saveAlertSettings(o.admin, { emails: Array.from({ length: 11 }, (_, i) => `a${i}@example.com`), webhookUrl: '' }));
    expect(tooMany?.fieldErrors?.emails?.[0]).toMatch(/At most 10/);
    const bad = await errorOf(saveAlertSettings(o.admin, { emails: ['not-an-address'], webhookUrl: '' }));
    expect(bad?.fieldErrors?.emails).toBeDefined();
    const http = await errorOf(saveAlertSettings(o.admin, { emails: [], webhookUrl: 'http://example.com/hook' }));
    expect(http?.fieldErrors?.webhookUrl?.[0]).toMatch(/https/i);
    expect((await getAlertsView(o.admin)).webhook?.url).toBe(o.ops.url); // nothing changed
    const { actors } = await makeOrg(h.db, ['developer']);
    expect(await errorOf(getAlertsView(actors.developer))).toBeTruthy();
    await saveAlertSettings(o.admin, { emails: [], webhookUrl: '' });
    expect((await getAlertsView(o.admin)).webhook).toBeNull();
  });
});
