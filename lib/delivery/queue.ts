import { and, eq, getTableColumns, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { deliveries, deliveryQueue, type DeliveryStatus } from '@/db/schema';

// How readers see a delivery whose queue state lives in delivery_queue (db/schema.ts): `deliveries.status` stays
// `pending` while an attempt is under way, and the queue row's lease says `delivering`. Every query using these
// left-joins delivery_queue on the delivery id (`queueJoin`).

export const queueJoin = eq(deliveryQueue.deliveryId, deliveries.id);

/** The status as users see it: `delivering` while a worker holds the lease. */
export const visibleStatus = sql<DeliveryStatus>`(case when ${deliveries.status} = 'pending' and ${deliveryQueue.leaseOwner} is not null
  then 'delivering' else ${deliveries.status} end)`;

/** Attempts started so far: the queue counts an attempt at claim, the history row with its result. */
export const visibleAttempts = sql<number>`greatest(${deliveries.attempts}, coalesce(${deliveryQueue.attempts}, 0))`.mapWith(Number);

/** A filter on the status as users see it. */
export function statusIs(status: DeliveryStatus): SQL {
  if (status === 'delivering') {
    return or(eq(deliveries.status, 'delivering'), and(eq(deliveries.status, 'pending'), isNotNull(deliveryQueue.leaseOwner)))!;
  }
  if (status === 'pending') return and(eq(deliveries.status, 'pending'), isNull(deliveryQueue.leaseOwner))!;
  return eq(deliveries.status, status);
}

/** No worker holds a lease on the delivery (nor did one when it was stored as delivering). */
export const notUnderWay = sql`(${deliveries.status} <> 'delivering' and not exists (
  select 1 from ${deliveryQueue} where ${deliveryQueue.deliveryId} = ${deliveries.id} and ${deliveryQueue.leaseOwner} is not null))`;

/** Delivery rows as users and tests see them: status, attempts and lease taken from the queue while one is held. */
export function selectDeliveries(db: Db, where: SQL | undefined) {
  return db
    .select({
      ...getTableColumns(deliveries),
      status: visibleStatus,
      attempts: visibleAttempts,
      leaseOwner: sql<string | null>`coalesce(${deliveryQueue.leaseOwner}, ${deliveries.leaseOwner})`,
      leaseExpiresAt: sql<Date | null>`(case when ${deliveryQueue.leaseOwner} is not null then ${deliveryQueue.dueAt} else ${deliveries.leaseExpiresAt} end)`.mapWith(deliveries.leaseExpiresAt),
    })
    .from(deliveries)
    .leftJoin(deliveryQueue, queueJoin)
    .where(where);
}
