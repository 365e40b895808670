import { apiRoute } from '@/lib/api/route';
import { routes } from '@/lib/api/routes';
import { apiDeliveryDetail } from '@/lib/api/serialize';
import { getDelivery } from '@/lib/webhooks/deliveries';

export const dynamic = 'force-dynamic';

// A delivery with its event and every attempt.
export const GET = apiRoute(routes.getDelivery, async ({ actor, params }) => apiDeliveryDetail(await getDelivery(actor.orgId, params.id)));
