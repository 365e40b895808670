import { getDelivery, listDeliveries, replayDelivery, replayFailed, replaySkipped } from '@/lib/webhooks/deliveries';
import { getEndpoint } from '@/lib/webhooks/endpoints';
import { route } from '@/lib/api/pipeline';
import { routes } from '@/lib/api/routes';
import { apiDelivery, apiDeliveryDetail } from '@/lib/api/serialize';

// Handlers of the Deliveries operations.
export const deliveryRoutes = {
  // One page of the endpoint's deliveries, newest first.
  listDeliveries: route(routes.listDeliveries, async ({ actor, params, query }) => {
    await getEndpoint(actor.orgId, params.id!); // 404 for an endpoint of another organization, not an empty page
    const { cursor, limit, ...filter } = query;
    const page = await listDeliveries(actor.orgId, { ...filter, endpointId: params.id! }, cursor ?? null, limit);
    return { data: page.data.map(apiDelivery), nextCursor: page.nextCursor };
  }),

  // A delivery with its event and every attempt.
  getDelivery: route(routes.getDelivery, async ({ actor, params }) => apiDeliveryDetail(await getDelivery(actor.orgId, params.id!))),

  // A new attempt of the delivery (or a fresh run of the schedule): same event, same webhook-id.
  replayDelivery: route(routes.replayDelivery, async ({ actor, params, body }) => replayDelivery(actor, params.id!, { retry: body.retry })),

  // Replays (or, with dryRun, counts) the endpoint's failed deliveries since a time.
  replayFailed: route(routes.replayFailed, async ({ actor, params, body }) =>
    replayFailed(actor, params.id!, body.since, { dryRun: body.dryRun, retry: body.retry })),

  // Sends (or, with dryRun, counts) the endpoint's skipped deliveries since a time.
  replaySkipped: route(routes.replaySkipped, async ({ actor, params, body }) =>
    replaySkipped(actor, params.id!, body.since, { dryRun: body.dryRun, retry: body.retry })),
};
