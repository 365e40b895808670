import { publishEvent, sendTestEvent } from '../../webhooks/events';
import { publishRequestHash } from '../idempotency';
import { route } from '../pipeline';
import { routes } from '../routes';

// Handlers of the Events operations: publish, and a test event to one endpoint.
export const eventRoutes = {
  // Publishes an event to every subscribed endpoint; a repeated Idempotency-Key answers the first event.
  publishEvent: route(routes.publishEvent, async ({ actor, body, headers, setHeader }) => {
    const idempotencyKey = headers['Idempotency-Key'];
    const opts = idempotencyKey ? { idempotencyKey, requestHash: publishRequestHash(body) } : {};
    const { event, deliveries, duplicate } = await publishEvent(actor.orgId, body.type, body.data, opts);
    if (duplicate) setHeader('Idempotent-Replayed', 'true');
    return { id: event.id, deliveries };
  }),

  // Sends a test event to this endpoint only.
  sendTestEvent: route(routes.sendTestEvent, async ({ actor, params, body }) => {
    const { event, deliveryId } = await sendTestEvent(actor.orgId, params.id!, body.type, body.data);
    return { id: event.id, deliveryId };
  }),
};
