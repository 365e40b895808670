import { buildOpenApi } from '@/lib/api/openapi';
import { apiRoute } from '@/lib/api/route';
import { ROUTE_LIST, routes } from '@/lib/api/routes';

export const dynamic = 'force-dynamic';

// The OpenAPI 3.1 document of this API, with this server's address.
export const GET = apiRoute(routes.openapi, async ({ request }) =>
  buildOpenApi(ROUTE_LIST, { serverUrl: `${new URL(request.url).origin}/api/v1` }),
);
