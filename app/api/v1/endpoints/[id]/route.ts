import { apiRoute } from '@/lib/api/route';
import { routes } from '@/lib/api/routes';
import { apiEndpoint } from '@/lib/api/serialize';
import { deleteEndpoint, getEndpoint, updateEndpoint } from '@/lib/webhooks/endpoints';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(routes.getEndpoint, async ({ actor, params }) => apiEndpoint(await getEndpoint(actor.orgId, params.id)));

// Changes only the fields sent.
export const PATCH = apiRoute(routes.updateEndpoint, async ({ actor, params, body }) => apiEndpoint(await updateEndpoint(actor, params.id, body)));

export const DELETE = apiRoute(routes.deleteEndpoint, async ({ actor, params }) => {
  await deleteEndpoint(actor, params.id);
});
