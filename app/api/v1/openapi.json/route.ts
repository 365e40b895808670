import { openApiDocument } from '@/lib/api/openapi';
import { apiRoute } from '@/lib/api/route';
import { ROUTE_LIST, routes } from '@/lib/api/routes';

export const dynamic = 'force-dynamic';

// The OpenAPI 3.1 document of this API (no key needed), with this server's address.
export const GET = apiRoute(routes.openapi, async ({ request }) => openApiDocument(ROUTE_LIST, `${new URL(request.url).origin}/api/v1`));
