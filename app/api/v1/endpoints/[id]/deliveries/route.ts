import { apiRoute } from '@/lib/api/route';
import { routes } from '@/lib/api/routes';
import { apiDelivery } from '@/lib/api/serialize';
import { listDeliveries } from '@/lib/webhooks/deliveries';
import { getEndpoint } from '@/lib/webhooks/endpoints';

export const dynamic = 'force-dynamic';

// One page of the endpoint's deliveries, newest first.
export const GET = apiRoute(routes.listDeliveries, async ({ actor, params, query }) => {
  await getEndpoint(actor.orgId, params.id); // 404 for an endpoint of another organization, not an empty page
  const { cursor, limit, ...filter } = query;
  const page = await listDeliveries(actor.orgId, { ...filter, endpointId: params.id }, cursor ?? null, limit);
  return { data: page.data.map(apiDelivery), nextCursor: page.nextCursor };
});
