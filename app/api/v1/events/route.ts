import { apiRoute } from '@/lib/api/route';
import { routes } from '@/lib/api/routes';
import { publishRequestHash } from '@/lib/api/idempotency';
import { publishEvent } from '@/lib/webhooks/events';

export const dynamic = 'force-dynamic';

// Publishes an event to every subscribed endpoint; a repeated Idempotency-Key answers the first event.
export const POST = apiRoute(routes.publishEvent, async ({ actor, body, headers, setHeader }) => {
  const idempotencyKey = headers['Idempotency-Key'];
  const opts = idempotencyKey ? { idempotencyKey, requestHash: publishRequestHash(body) } : {};
  const { event, deliveries, duplicate } = await publishEvent(actor.orgId, body.type, body.data, opts);
  if (duplicate) setHeader('Idempotent-Replayed', 'true');
  return { id: event.id, deliveries };
});
