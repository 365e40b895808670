import { apiRoute } from '@/lib/api/route';
import { routes } from '@/lib/api/routes';
import { sendTestEvent } from '@/lib/webhooks/events';

export const dynamic = 'force-dynamic';

// Sends a test event to this endpoint only.
export const POST = apiRoute(routes.sendTestEvent, async ({ actor, params, body }) => {
  const { event, deliveryId } = await sendTestEvent(actor, params.id, body.type, body.data);
  return { id: event.id, deliveryId };
});
