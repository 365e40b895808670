import { z } from 'zod';
import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { getDb } from '@/lib/db';
import { newId } from '@/db/ids';
import { alerts, alertSettings, deliveries, endpoints, endpointSecrets, type Alert, type DeliveryStatus } from '@/db/schema';
import { assertCan, type Actor } from '@/lib/auth/permissions';
import { sealContext, sealSecret } from '@/lib/crypto';
import { checkUrl, type Resolver } from '@/lib/delivery/url-guard';
import { env } from '@/lib/env';
import { NotFoundError, UserError } from '@/lib/errors';
import { generateSecret } from '@/lib/signing';
import { recordAudit } from '@/lib/audit/log';
import { endGracePeriod, listSecretsMasked, revealSecrets, rotateSecret, type MaskedSecret, type RevealedSecret } from '@/lib/webhooks/secrets';
import type { AlertData } from './payload';

// Bounds on what an organization saves.
export const MAX_ALERT_EMAILS = 10;
export const MAX_EMAIL_LENGTH = 254;
export const MAX_WEBHOOK_URL_LENGTH = 2048;

// What Settings → Alerts saves: addresses (one per line or comma-separated) and an operational webhook URL ('' for none).
export const alertSettingsSchema = z.object({
  emails: z
    .array(z.string().trim().max(MAX_EMAIL_LENGTH, `An address may have at most ${MAX_EMAIL_LENGTH} characters.`).email('Enter email addresses like ops@example.com.'))
    .max(MAX_ALERT_EMAILS, `At most ${MAX_ALERT_EMAILS} addresses; use a mailing list for more people.`),
  webhookUrl: z.string().trim().max(MAX_WEBHOOK_URL_LENGTH, `The URL may have at most ${MAX_WEBHOOK_URL_LENGTH} characters.`),
});
export type AlertSettingsInput = z.input<typeof alertSettingsSchema>;

// The operational webhook as Settings → Alerts shows it.
export type OperationalWebhook = { id: string; url: string; enabled: boolean; disabledReason: string | null; secrets: MaskedSecret[] };
// An alert as the Alerts page lists it, with how its email and its webhook delivery went.
export type AlertRow = Pick<Alert, 'id' | 'type' | 'endpointId' | 'emailStatus' | 'emailSentAt' | 'createdAt' | 'webhookDeliveryId'> & {
  data: AlertData;
  webhookStatus: DeliveryStatus | null;
  webhookAttempts: number | null;
  webhookLastStatus: number | null;
};
export type AlertsView = {
  emails: string[];
  webhook: OperationalWebhook | null;
  /** Email alerts are off without SMTP_URL; the page says so. */
  emailEnabled: boolean;
  emailFrom: string;
  recent: AlertRow[];
};

// Settings → Alerts for an admin: destinations, the operational webhook with its masked secrets, and recent alerts.
export async function getAlertsView(actor: Actor): Promise<AlertsView> {
  assertCan(actor, 'alerts.write');
  const db = await getDb();
  const [s] = await db.select().from(alertSettings).where(eq(alertSettings.orgId, actor.orgId));
  const webhook = s?.webhookEndpointId ? await operationalWebhook(actor.orgId, s.webhookEndpointId) : null;
  const rows = await db
    .select({
      id: alerts.id, type: alerts.type, endpointId: alerts.endpointId, emailStatus: alerts.emailStatus, emailSentAt: alerts.emailSentAt,
      createdAt: alerts.createdAt, webhookDeliveryId: alerts.webhookDeliveryId, data: alerts.data,
      webhookStatus: deliveries.status, webhookAttempts: deliveries.attempts, webhookLastStatus: deliveries.lastStatusCode,
    })
    .from(alerts)
    .leftJoin(deliveries, eq(deliveries.id, alerts.webhookDeliveryId))
    .where(eq(alerts.orgId, actor.orgId))
    .orderBy(desc(alerts.id))
    .limit(20);
  const e = env();
  return {
    emails: s?.emails ?? [],
    webhook,
    emailEnabled: !!e.SMTP_URL,
    emailFrom: e.SMTP_FROM,
    recent: rows.map((r) => ({ ...r, data: JSON.parse(r.data) as AlertData })),
  };
}

async function operationalWebhook(orgId: string, id: string): Promise<OperationalWebhook | null> {
  const db = await getDb();
  const [ep] = await db.select().from(endpoints).where(and(eq(endpoints.orgId, orgId), eq(endpoints.id, id), eq(endpoints.kind, 'operational')));
  if (!ep) return null;
  return { id: ep.id, url: ep.url, enabled: ep.enabled, disabledReason: ep.disabledReason, secrets: await listSecretsMasked(orgId, ep.id) };
}

// Saves where alerts go. A new operational webhook URL is checked by the URL guard and gets its own signing secret
// (reveal it on the page); changing the URL keeps the secret and turns the webhook on again; an empty URL removes it
// with its delivery history. Audited.
export async function saveAlertSettings(actor: Actor, input: AlertSettingsInput, opts: { resolve?: Resolver } = {}): Promise<AlertsView> {
  assertCan(actor, 'alerts.write');
  const r = alertSettingsSchema.safeParse(input);
  if (!r.success) throw new UserError('Check the highlighted fields.', z.flattenError(r.error).fieldErrors as Record<string, string[]>);
  const emails = [...new Set(r.data.emails.map((e) => e.toLowerCase()).filter(Boolean))];
  const url = r.data.webhookUrl;
  if (url) {
    const checked = await checkUrl(url, { allowPrivate: env().WEBHOOK_ALLOW_PRIVATE_TARGETS, resolve: opts.resolve });
    if (!checked.ok) throw new UserError('Check the highlighted fields.', { webhookUrl: [checked.message] });
  }
  await (await getDb()).transaction(async (tx) => {
    const [current] = await tx.select().from(alertSettings).where(eq(alertSettings.orgId, actor.orgId)).for('update');
    let webhookId = current?.webhookEndpointId ?? null;
    const [existing] = webhookId
      ? await tx.select().from(endpoints).where(and(eq(endpoints.orgId, actor.orgId), eq(endpoints.id, webhookId), eq(endpoints.kind, 'operational')))
      : [];
    let webhookChange: 'added' | 'changed' | 'removed' | null = null;
    if (!url && existing) {
      await tx.delete(endpoints).where(and(eq(endpoints.id, existing.id), eq(endpoints.orgId, actor.orgId)));
      webhookId = null;
      webhookChange = 'removed';
    } else if (url && existing) {
      if (existing.url !== url || !existing.enabled) {
        await tx
          .update(endpoints)
          .set({ url, enabled: true, disabledAt: null, disabledReason: null, failingSince: null, consecutiveFailures: 0, updatedAt: new Date() })
          .where(eq(endpoints.id, existing.id));
        webhookChange = 'changed';
      }
    } else if (url) {
      webhookId = await createOperationalWebhook(tx, actor.orgId, url);
      webhookChange = 'added';
    }
    const values = { orgId: actor.orgId, emails, webhookEndpointId: webhookId, updatedAt: new Date() };
    await tx.insert(alertSettings).values(values).onConflictDoUpdate({ target: alertSettings.orgId, set: { emails, webhookEndpointId: webhookId, updatedAt: values.updatedAt } });
    await recordAudit(tx, actor, 'alerts.updated', webhookId, {
      emails: emails.length,
      ...(webhookChange ? { webhook: webhookChange } : {}),
      ...(url ? { url } : {}),
    });
  });
  return getAlertsView(actor);
}

// An endpoint of kind `operational`: subscribed to nothing (publishing never reaches it), standard format.
async function createOperationalWebhook(tx: Tx, orgId: string, url: string): Promise<string> {
  const id = newId('ep');
  await tx.insert(endpoints).values({ id, orgId, url, kind: 'operational', eventTypes: [], description: 'Operational webhook (Settings → Alerts)' });
  await tx.insert(endpointSecrets).values({ id: newId('whs'), orgId, endpointId: id, sealed: sealSecret(generateSecret(), sealContext.endpointSecret(id)) });
  return id;
}

async function requireWebhookId(actor: Actor): Promise<string> {
  const [s] = await (await getDb()).select().from(alertSettings).where(eq(alertSettings.orgId, actor.orgId));
  if (!s?.webhookEndpointId) throw new NotFoundError('Operational webhook');
  return s.webhookEndpointId;
}

// The operational webhook's live secrets in full (admin; audited like any endpoint's reveal).
export async function revealAlertWebhookSecrets(actor: Actor): Promise<RevealedSecret[]> {
  assertCan(actor, 'alerts.write');
  return revealSecrets(actor, await requireWebhookId(actor));
}

// A new secret for the operational webhook; the previous one keeps signing for the grace period (audited).
export async function rotateAlertWebhookSecret(actor: Actor, graceSeconds: number): Promise<{ secret: string; previousGraceEndsAt: Date | null }> {
  assertCan(actor, 'alerts.write');
  return rotateSecret(actor, await requireWebhookId(actor), graceSeconds);
}

// Ends the operational webhook's grace period at once (audited).
export async function endAlertWebhookGrace(actor: Actor): Promise<{ ended: number }> {
  assertCan(actor, 'alerts.write');
  return endGracePeriod(actor, await requireWebhookId(actor));
}
