import { openApiDocument } from '@/lib/api/openapi';
import { route, type ApiRoute } from '@/lib/api/pipeline';
import { ROUTE_LIST, routes } from '@/lib/api/routes';
import { deliveryRoutes } from './deliveries';
import { endpointRoutes } from './endpoints';
import { eventRoutes } from './events';
import { platformRoutes } from './platform';

// Every operation of /api/v1 with its handler. Adding a route = a definition in routes.ts + a handler here
// (the type below refuses a definition without its handler).
const table = {
  ...eventRoutes,
  ...endpointRoutes,
  ...deliveryRoutes,
  ...platformRoutes,
  // The OpenAPI 3.1 document of this API (no key needed), with this server's address.
  openapi: route(routes.openapi, async ({ origin }) => openApiDocument(ROUTE_LIST, `${origin}/api/v1`)),
} satisfies { [K in keyof typeof routes]: ApiRoute };

for (const [name, r] of Object.entries(table)) {
  if (r.def !== routes[name as keyof typeof routes]) throw new Error(`api: the handler "${name}" is registered under another definition`);
}

/** The route table the API server serves. */
export const API_ROUTES: readonly ApiRoute[] = Object.values(table);
