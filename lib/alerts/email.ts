import { and, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/db/client';
import { alerts, alertSettings, type Alert } from '@/db/schema';
import { env } from '@/lib/env';
import type { Mail, SendMail } from './mailer';
import { advice, ALERT_TYPES_INFO, type AlertData } from './payload';

// Further delivery.exhausted mails for one endpoint within this time of the last one wait and go out as one digest.
export const DIGEST_WINDOW_MS = 3_600_000;

// Sends the alert emails that are due: every alert at once, except delivery.exhausted for an endpoint that had one
// mailed in the last hour — those wait until the hour is over and go out together as one digest. One worker at a
// time handles an organization (its alert_settings row is locked, skip-locked by the others); rows are marked sent
// before the mail leaves, so an email goes at most once. A refused email is logged and marked failed.
export async function sendDueEmails(db: Db, send: SendMail, now: number, log: (msg: string) => void): Promise<number> {
  const orgs = await queryRows<{ org_id: string }>(db, sql`select distinct org_id from alerts where email_status = 'pending' limit 200`);
  let sent = 0;
  for (const { org_id: orgId } of orgs) {
    const mails = await db.transaction(async (tx) => {
      const [settings] = await tx.select().from(alertSettings).where(eq(alertSettings.orgId, orgId)).for('update', { skipLocked: true });
      const pending = await tx
        .select()
        .from(alerts)
        .where(and(eq(alerts.orgId, orgId), eq(alerts.emailStatus, 'pending')))
        .orderBy(alerts.createdAt, alerts.id)
        .limit(500);
      if (!settings) {
        // no settings row (deleted) or another worker holds it: in the latter case it sends them
        const [exists] = await tx.select({ id: alertSettings.orgId }).from(alertSettings).where(eq(alertSettings.orgId, orgId));
        if (!exists) await markNone(tx, pending.map((p) => p.id));
        return [];
      }
      if (settings.emails.length === 0) {
        await markNone(tx, pending.map((p) => p.id));
        return [];
      }
      const out: { mail: Mail; ids: string[] }[] = [];
      const exhaustedByEndpoint = new Map<string, Alert[]>();
      for (const a of pending) {
        if (a.type === 'delivery.exhausted') exhaustedByEndpoint.set(a.endpointId, [...(exhaustedByEndpoint.get(a.endpointId) ?? []), a]);
        else out.push({ mail: single(settings.emails, a), ids: [a.id] });
      }
      for (const [endpointId, list] of exhaustedByEndpoint) {
        const [{ last }] = await queryRows<{ last: number | string | null }>(tx, sql`
          select (extract(epoch from max(email_sent_at)) * 1000)::float8 as last from alerts
          where endpoint_id = ${endpointId} and type = 'delivery.exhausted' and email_status = 'sent'`);
        if (last !== null && Number(last) > now - DIGEST_WINDOW_MS) continue; // within the hour: wait for the digest
        out.push({ mail: list.length === 1 ? single(settings.emails, list[0]!) : digest(settings.emails, list), ids: list.map((a) => a.id) });
      }
      const ids = out.flatMap((m) => m.ids);
      if (ids.length) await tx.update(alerts).set({ emailStatus: 'sent', emailSentAt: new Date(now) }).where(inArray(alerts.id, ids));
      return out;
    });
    for (const m of mails) {
      try {
        await send(m.mail);
        sent++;
      } catch (err) {
        log(`could not send an alert email (${m.ids.length} alert(s)): ${(err as Error).message}`);
        await db.update(alerts).set({ emailStatus: 'failed' }).where(inArray(alerts.id, m.ids)).catch(() => {});
      }
    }
  }
  return sent;
}

async function markNone(tx: Pick<Db, 'update'>, ids: string[]) {
  if (ids.length) await tx.update(alerts).set({ emailStatus: 'none' }).where(inArray(alerts.id, ids));
}

function endpointLink(endpointId: string): string {
  return `${env().PUBLIC_URL}/settings/webhooks/${endpointId}`;
}

function describe(a: Alert): string[] {
  const d = JSON.parse(a.data) as AlertData;
  const lines = [`Endpoint: ${d.url}`, `Reason: ${d.reason}`];
  if (d.disableAt) lines.push(`Disabled at: ${d.disableAt} unless a delivery succeeds before`);
  if (d.deliveryId) lines.push(`Delivery: ${d.deliveryId} (${endpointLink(d.endpointId)}/deliveries/${d.deliveryId})`);
  if (d.lastStatus !== undefined) lines.push(`Last status: ${d.lastStatus ?? 'no response'}${d.cause ? ` (${d.cause})` : ''}`);
  lines.push(`Time: ${a.createdAt.toISOString()}`);
  return lines;
}

function single(to: string[], a: Alert): Mail {
  const d = JSON.parse(a.data) as AlertData;
  return {
    to,
    subject: `[Hookrelay] ${a.type}: ${d.url} ${ALERT_TYPES_INFO[a.type].title}`,
    text: [`${a.type}`, '', ...describe(a), '', advice(a.type, d), `Open: ${endpointLink(d.endpointId)}`, ''].join('\n'),
  };
}

function digest(to: string[], list: Alert[]): Mail {
  const d = JSON.parse(list[0]!.data) as AlertData;
  const parts = list.map((a, i) => [`${i + 1}. ${a.type}`, ...describe(a).map((l) => `   ${l}`)].join('\n'));
  return {
    to,
    subject: `[Hookrelay] delivery.exhausted: ${list.length} deliveries to ${d.url} failed for good`,
    text: [
      `${list.length} deliveries to ${d.url} failed every scheduled attempt within the last hour (one digest per endpoint per hour).`,
      '',
      ...parts,
      '',
      advice('delivery.exhausted', d),
      `Open: ${endpointLink(d.endpointId)}`,
      '',
    ].join('\n'),
  };
}
