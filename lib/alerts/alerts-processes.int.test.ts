import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { useTestDb } from '@/test/suite';
import { testDbKind } from '@/test/db';
import { startReceiver, type Receiver } from '@/test/receiver';
import { startSmtpSink, type SmtpSink } from '@/test/smtp';
import { endpoints } from '@/db/schema';
import { publishEvent } from '@/lib/webhooks/events';
import { makeOrg, publisher } from '@/test/factories';
import { addEndpoint, fastDeliveryEnv, spawnWorkerProcess, until } from '@/test/delivery';
import { revealAlertWebhookSecrets, saveAlertSettings } from './settings';

const compound = { id: 'compound-1', name: 'Aspirin', category: 'analgesic', efficacy: 0.92 };

describe.runIf(testDbKind() === 'postgres')('alerts with several worker processes', () => {
  const h = useTestDb();
  let smtp: SmtpSink;
  const receivers: Receiver[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    fastDeliveryEnv([0.2, 0.2]);
    smtp = await startSmtpSink();
  }, 90_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const r of receivers) await r.close();
    await smtp?.close();
  });

  it('two `npm run worker` processes raise each alert once: three exhaustions, one failing endpoint', async () => {
    const { orgId, actors } = await makeOrg(h.db, ['admin']);
    const ops = await startReceiver();
    const rx = await startReceiver();
    receivers.push(ops, rx);
    rx.fallback = { kind: 'status', status: 503 };
    await saveAlertSettings(actors.admin, { emails: ['ops@example.com'], webhookUrl: ops.url });
    const wh = new Webhook((await revealAlertWebhookSecrets(actors.admin))[0]!.secret);
    const verified = () => ops.requests.map((r) => wh.verify(r.body, r.headers as Record<string, string>) as { type: string; data: { deliveryId?: string } });
    const ep = await addEndpoint(h.db, orgId, rx.url);
    const procs = [0, 1].map(() => spawnWorkerProcess(h.url!, { SMTP_URL: smtp.url, SMTP_FROM: 'alerts@hookrelay.test' }));
    children.push(...procs.map((p) => p.child));
    await Promise.all(procs.map((p) => p.started));

    for (let i = 0; i < 3; i++) await publishEvent(publisher(orgId), 'compound.created', compound);
    await until(async () => verified().filter((v) => v.type === 'delivery.exhausted').length >= 3, 20_000, 'three exhausted alerts');
    // 25 h of failures: both processes scan (every 10 s); one endpoint.failing
    await h.db.update(endpoints).set({ failingSince: new Date(Date.now() - 25 * 3600_000) }).where(eq(endpoints.id, ep.id));
    await until(async () => verified().some((v) => v.type === 'endpoint.failing'), 25_000, 'endpoint.failing');
    await new Promise((r) => setTimeout(r, 11_000)); // another scan round of both processes
    const types = verified().map((v) => v.type).sort();
    expect(types).toEqual(['delivery.exhausted', 'delivery.exhausted', 'delivery.exhausted', 'endpoint.failing']);
    expect(new Set(verified().map((v) => v.data.deliveryId).filter(Boolean)).size).toBe(3);
    // emails: the first exhausted one at once, the failing one at once; the two other exhaustions wait for the digest
    const subjects = smtp.mails.map((m) => m.subject.split(':')[0]).sort();
    expect(subjects).toEqual(['[Hookrelay] delivery.exhausted', '[Hookrelay] endpoint.failing']);
    for (const p of procs) expect(p.output()).not.toMatch(/alerts: a step failed/);
  }, 90_000);
});
