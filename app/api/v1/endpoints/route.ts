import { apiRoute } from '@/lib/api/route';
import { routes } from '@/lib/api/routes';
import { apiEndpoint } from '@/lib/api/serialize';
import { createEndpoint, listEndpoints } from '@/lib/webhooks/endpoints';

export const dynamic = 'force-dynamic';

// Every endpoint of the key's organization.
export const GET = apiRoute(routes.listEndpoints, async ({ actor }) => ({
  data: (await listEndpoints(actor.orgId)).map(apiEndpoint),
  nextCursor: null,
}));

// Creates an endpoint; its signing secret is in this answer only.
export const POST = apiRoute(routes.createEndpoint, async ({ actor, body }) => {
  const { endpoint, secret } = await createEndpoint(actor, body);
  return { endpoint: apiEndpoint(endpoint), secret };
});
