import { and, eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { newId } from '@/db/ids';
import { alerts, alertSettings, endpoints, events, type AlertType } from '@/db/schema';
import { env } from '@/lib/env';
import { insertDeliveries } from '@/lib/webhooks/events';
import { ALERT_EVENT_MARK, alertData, type AlertData } from './payload';

// One state change to tell about; dedupeKey names the change, so raising it twice inserts nothing the second time.
export type NewAlert = { orgId: string; endpointId: string; type: AlertType; dedupeKey: string; data: AlertData };

// Records alerts inside the caller's transaction: one row each (a key seen before is skipped), an email marked due
// when the organization has addresses and SMTP_URL is set, and an event with one delivery to the organization's
// operational webhook when it has one (enabled). Returns how many alerts were new (the caller wakes the workers).
export async function raiseAlerts(tx: Tx, items: readonly NewAlert[], now: number): Promise<number> {
  let raised = 0;
  const settingsByOrg = new Map<string, { emails: string[]; webhook: { id: string; enabled: boolean } | null } | null>();
  for (const a of items) {
    if (!settingsByOrg.has(a.orgId)) settingsByOrg.set(a.orgId, await loadDestinations(tx, a.orgId));
    const dest = settingsByOrg.get(a.orgId)!;
    const data = JSON.stringify(alertData(a.data));
    const emailDue = !!env().SMTP_URL && (dest?.emails.length ?? 0) > 0;
    const id = newId('alr', now);
    const [row] = await tx
      .insert(alerts)
      .values({ id, orgId: a.orgId, endpointId: a.endpointId, type: a.type, dedupeKey: a.dedupeKey, data, emailStatus: emailDue ? 'pending' : 'none', createdAt: new Date(now) })
      .onConflictDoNothing({ target: alerts.dedupeKey })
      .returning({ id: alerts.id });
    if (!row) continue;
    raised++;
    if (dest?.webhook?.enabled) {
      const eventId = newId('evt', now);
      const deliveryId = newId('dlv', now);
      await tx.insert(events).values({ id: eventId, orgId: a.orgId, type: a.type, data, requestHash: ALERT_EVENT_MARK, createdAt: new Date(now) });
      await insertDeliveries(tx, a.orgId, [{ id: deliveryId, eventId, eventType: a.type, endpointId: dest.webhook.id }], now);
      await tx.update(alerts).set({ webhookDeliveryId: deliveryId }).where(eq(alerts.id, id));
    }
  }
  return raised;
}

async function loadDestinations(tx: Tx, orgId: string) {
  const [s] = await tx.select().from(alertSettings).where(eq(alertSettings.orgId, orgId));
  if (!s) return null;
  let webhook: { id: string; enabled: boolean } | null = null;
  if (s.webhookEndpointId) {
    const [ep] = await tx
      .select({ id: endpoints.id, enabled: endpoints.enabled })
      .from(endpoints)
      .where(and(eq(endpoints.orgId, orgId), eq(endpoints.id, s.webhookEndpointId), eq(endpoints.kind, 'operational')));
    webhook = ep ?? null;
  }
  return { emails: s.emails, webhook };
}
