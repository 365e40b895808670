import { describe, expect, it } from 'vitest';
import { inArray } from 'drizzle-orm';
import { useTestDb } from '@/test/suite';
import { newId } from '@/db/ids';
import { attempts, deliveries, events, type DeliveryStatus } from '@/db/schema';
import { setEnv } from '@/lib/env';
import { makeOrg } from '@/test/factories';
import { purgeExpired, retentionDays } from './retention';
import { addEndpoint } from '@/test/delivery';

const DAY = 86_400_000;
const h = useTestDb();

// An event made `ageDays` ago with one delivery per status given (each with `tries` attempts), as the engine would
// have left them.
async function history(orgId: string, endpointId: string, ageDays: number, statuses: DeliveryStatus[], tries = 2) {
  const at = Date.now() - ageDays * DAY;
  const eventId = newId('evt', at);
  await h.db.insert(events).values({ id: eventId, orgId, type: 'compound.created', data: '{}', createdAt: new Date(at) });
  const ids: string[] = [];
  for (const status of statuses) {
    const id = newId('dlv', at);
    ids.push(id);
    const attempted = status !== 'skipped' && status !== 'pending';
    await h.db.insert(deliveries).values({
      id, orgId, eventId, endpointId, eventType: 'compound.created', status, createdAt: new Date(at),
      attempts: attempted ? tries : 0, lastAttemptAt: attempted ? new Date(at + 1000) : null,
      nextAttemptAt: status === 'pending' ? new Date(at) : null, skipReason: status === 'skipped' ? 'endpoint_disabled' : null,
    });
    if (attempted) {
      await h.db.insert(attempts).values(
        Array.from({ length: tries }, (_, i) => ({ id: `att_${id.slice(4)}_${i + 1}`, orgId, deliveryId: id, number: i + 1, startedAt: new Date(at + i) })),
      );
    }
  }
  return { eventId, ids };
}

const count = async (table: typeof events | typeof deliveries | typeof attempts) => (await h.db.select().from(table)).length;

describe('purgeExpired', () => {
  it('deletes finished history older than the retention in batches, and keeps what is younger or still waiting to be sent', async () => {
    setEnv({ WEBHOOK_RETENTION_DAYS: 30 });
    expect(retentionDays()).toBe(30);
    const { orgId } = await makeOrg(h.db, []);
    const ep = await addEndpoint(h.db, orgId, 'https://127.0.0.1:9/hook');
    const old: { eventId: string; ids: string[] }[] = [];
    for (let i = 0; i < 5; i++) old.push(await history(orgId, ep.id, 40 + i, ['succeeded', 'failed', 'skipped']));
    const waiting = await history(orgId, ep.id, 45, ['pending', 'succeeded']); // a paused endpoint's delivery, 45 days old
    const delivering = await history(orgId, ep.id, 50, ['delivering']);
    const young = await history(orgId, ep.id, 29, ['succeeded', 'failed']);
    // created 40 days ago but replayed yesterday: its last attempt is recent, so it stays
    const replayed = await history(orgId, ep.id, 40, ['failed']);
    await h.db.update(deliveries).set({ lastAttemptAt: new Date(Date.now() - DAY) }).where(inArray(deliveries.id, replayed.ids));
    const before = { events: await count(events), deliveries: await count(deliveries), attempts: await count(attempts) };

    // batches of 4: 5 × 3 + 1 = 16 old finished deliveries take several statements
    const r = await purgeExpired(h.db, { batch: 4 });
    expect(r).toEqual({ deliveries: 16, attempts: 22, events: 5 });
    expect(await count(events)).toBe(before.events - 5);
    expect(await count(deliveries)).toBe(before.deliveries - 16);
    expect(await count(attempts)).toBe(before.attempts - 22);
    const left = await h.db.select({ id: deliveries.id, status: deliveries.status }).from(deliveries);
    const leftIds = new Set(left.map((d) => d.id));
    expect(old.flatMap((o) => o.ids).some((id) => leftIds.has(id))).toBe(false);
    for (const id of [waiting.ids[0]!, delivering.ids[0]!, ...young.ids, ...replayed.ids]) expect(leftIds.has(id)).toBe(true);
    expect(leftIds.has(waiting.ids[1]!)).toBe(false); // its finished sibling goes; the event stays for the pending one
    const leftEvents = new Set((await h.db.select({ id: events.id }).from(events)).map((e) => e.id));
    for (const e of [waiting.eventId, delivering.eventId, young.eventId, replayed.eventId]) expect(leftEvents.has(e)).toBe(true);
    expect(old.some((o) => leftEvents.has(o.eventId))).toBe(false);

    // nothing more to do; a shorter retention takes the younger history too, never the waiting deliveries
    expect(await purgeExpired(h.db, { batch: 4 })).toEqual({ deliveries: 0, attempts: 0, events: 0 });
    setEnv({ WEBHOOK_RETENTION_DAYS: 1 });
    expect(await purgeExpired(h.db)).toEqual({ deliveries: 3, attempts: 6, events: 2 });
    const rest = await h.db.select({ status: deliveries.status }).from(deliveries);
    expect(rest.map((d) => d.status).sort()).toEqual(['delivering', 'pending']);
    setEnv({ WEBHOOK_RETENTION_DAYS: 30 });
  });
});
