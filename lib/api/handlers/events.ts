import { UserError } from '@/lib/errors';
import { publishEvent, sendTestEvent } from '@/lib/webhooks/events';
import { publishEvents } from '@/lib/webhooks/publish-batch';
import { countPublish } from '@/lib/metrics/observe';
import { fromUserError } from '@/lib/api/errors';
import { publishRequestHash } from '@/lib/api/idempotency';
import { route } from '@/lib/api/pipeline';
import { routes } from '@/lib/api/routes';

// Handlers of the Events operations: publish, and a test event to one endpoint.
export const eventRoutes = {
  // Publishes an event to every subscribed endpoint; a repeated Idempotency-Key answers the first event.
  publishEvent: route(routes.publishEvent, countPublish('single', async ({ actor, body, headers, setHeader }) => {
    const idempotencyKey = headers['Idempotency-Key'];
    const opts = idempotencyKey ? { idempotencyKey, requestHash: publishRequestHash(body) } : {};
    const { event, deliveries, skipped, duplicate } = await publishEvent(actor, body.type, body.data, opts);
    if (duplicate) setHeader('Idempotent-Replayed', 'true');
    return { id: event.id, deliveries, skipped };
  })),

  // Publishes 1 to 500 events all or nothing, in one transaction; problems are named by their path (events.3.data.name).
  publishEvents: route(routes.publishEvents, countPublish('batch', async ({ actor, body }) => {
    const items = body.events.map((e) => ({ ...e, requestHash: e.idempotencyKey ? publishRequestHash(e) : undefined }));
    try {
      const published = await publishEvents(actor, items);
      return { events: published.map(({ id, type, deliveries, skipped }) => ({ id, type, deliveries, skipped })) };
    } catch (e) {
      throw e instanceof UserError ? fromUserError(e, '', true) : e;
    }
  }, (r) => r.events.length)),

  // Sends a test event to this endpoint only.
  sendTestEvent: route(routes.sendTestEvent, async ({ actor, params, body }) => {
    const { event, deliveryId } = await sendTestEvent(actor, params.id!, body.type, body.data);
    return { id: event.id, deliveryId };
  }),
};
