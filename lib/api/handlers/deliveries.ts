import { getDelivery, listDeliveries, replayDelivery, replayFailed } from '../../webhooks/deliveries';
import { getEndpoint } from '../../webhooks/endpoints';
import { route } from '../pipeline';
import { routes } from '../routes';
import { apiDelivery, apiDeliveryDetail } from '../serialize';

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

  // A new attempt of the delivery: same event, same webhook-id.
  replayDelivery: route(routes.replayDelivery, async ({ actor, params }) => replayDelivery(actor, params.id!)),

  // Replays (or, with dryRun, counts) the endpoint's failed deliveries since a time.
  replayFailed: route(routes.replayFailed, async ({ actor, params, body }) => replayFailed(actor, params.id!, body.since, { dryRun: body.dryRun })),
};
