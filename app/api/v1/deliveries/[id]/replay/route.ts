import { apiRoute } from '@/lib/api/route';
import { routes } from '@/lib/api/routes';
import { replayDelivery } from '@/lib/webhooks/deliveries';

export const dynamic = 'force-dynamic';

// A new attempt of the delivery: same event, same webhook-id.
export const POST = apiRoute(routes.replayDelivery, async ({ actor, params }) => replayDelivery(actor, params.id));
