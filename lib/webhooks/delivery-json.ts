import type { DeliveryRow } from './deliveries';

// The one mapping of a delivery row to JSON (times as ISO strings), for the dashboard's routes and for the REST API.

// One delivery row as the dashboard's routes send it and its tables show it: every field of the row.
export type DeliveryRowJson = Omit<DeliveryRow, 'lastAttemptAt' | 'nextAttemptAt' | 'createdAt'> & {
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
};

// One page of the delivery list as the dashboard's JSON route sends it.
export type DeliveryPageJson = { data: DeliveryRowJson[]; nextCursor: string | null; now: number };

// A delivery row as the dashboard's JSON.
export function deliveryJson(d: DeliveryRow): DeliveryRowJson {
  return {
    ...d,
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}

// A delivery row as the REST API shows it: no endpoint URL or schedule step, the attempts as `attemptCount`, in the
// documented field order.
export function apiDeliveryJson(d: DeliveryRow) {
  const j = deliveryJson(d);
  return {
    id: j.id,
    eventId: j.eventId,
    endpointId: j.endpointId,
    eventType: j.eventType,
    status: j.status,
    skipReason: j.skipReason,
    attemptCount: j.attempts,
    nextAttemptAt: j.nextAttemptAt,
    lastStatusCode: j.lastStatusCode,
    lastLatencyMs: j.lastLatencyMs,
    lastAttemptAt: j.lastAttemptAt,
    createdAt: j.createdAt,
    test: j.test,
  };
}
