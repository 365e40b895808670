import { apiRoute } from '@/lib/api/route';
import { routes } from '@/lib/api/routes';
import { apiEventType } from '@/lib/api/serialize';
import { listEventTypes } from '@/lib/webhooks/event-types';

export const dynamic = 'force-dynamic';

// The organization's event-type catalog.
export const GET = apiRoute(routes.listEventTypes, async ({ actor }) => ({
  data: (await listEventTypes(actor.orgId)).map(apiEventType),
  nextCursor: null,
}));
