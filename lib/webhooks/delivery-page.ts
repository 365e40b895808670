import { listDeliveries } from './deliveries';
import { deliveryJson, type DeliveryPageJson } from './delivery-json';
import type { DeliveryQuery } from './delivery-query';

export const PAGE_SIZE = 25;

// One page of the organization's deliveries for a query, as JSON for the browser (server only).
export async function loadDeliveryPage(orgId: string, q: DeliveryQuery, limit = PAGE_SIZE): Promise<DeliveryPageJson> {
  const { data, nextCursor } = await listDeliveries(
    orgId,
    {
      endpointId: q.endpointId,
      status: q.status,
      eventType: q.type,
      eventId: q.eventId,
      since: q.since ? new Date(q.since) : undefined,
      until: q.until ? new Date(q.until) : undefined,
    },
    q.cursor ?? null,
    limit,
  );
  return { data: data.map(deliveryJson), nextCursor, now: Date.now() };
}
