import { z } from 'zod';
import { DELIVERY_CURSOR, DELIVERY_STATUSES, FAILURE_CAUSES, SKIP_REASONS } from '@/db/schema';
import { WIRE_FORMATS } from '@/lib/signing';
import { endpointInputSchema, endpointPatchSchema } from '@/lib/webhooks/endpoint-input';
import { MAX_BATCH_EVENTS } from '@/lib/webhooks/publish-batch';
import { DEFAULT_GRACE_SECONDS, MAX_GRACE_SECONDS } from '@/lib/webhooks/secrets';

// The shapes of the REST API: request bodies and queries, and every answer. The handlers validate with these,
// the answers go out through them, and the OpenAPI document is generated from them.

const timestamp = z.iso.datetime().describe('An ISO 8601 time in UTC, e.g. 2024-01-15T10:30:45.000Z.');
const isoInput = (what: string, meaning: string) =>
  z.iso
    .datetime({ offset: true, message: `${what} must be an ISO 8601 time, e.g. 2024-01-15T10:30:45Z.` })
    .transform((s) => new Date(s))
    .describe(`${meaning} (ISO 8601, e.g. 2024-01-15T10:30:45Z).`);

/** Event data: always a JSON object, sent to receivers with its key order kept. */
const eventData = z.record(z.string(), z.unknown(), { message: 'data must be a JSON object.' });

export const endpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()).describe('Subscribed event type names; ["*"] means every type, present and future.'),
  format: z.enum(WIRE_FORMATS),
  headers: z
    .record(z.string(), z.string())
    .describe('Custom headers sent with every delivery; their values are secrets, shown as •••••• (reveal them with GET /endpoints/{id}/headers). In a PATCH, a value of •••••• keeps the stored one.'),
  rateLimitPerSecond: z.number().int().nullable(),
  enabled: z.boolean().describe('A disabled endpoint gets no attempts; events published meanwhile are recorded for it as skipped deliveries.'),
  disabledReason: z.string().nullable(),
  paused: z.boolean().describe('A paused endpoint gets no attempts; its deliveries (new ones included) stay pending and go out on resume.'),
  pausedAt: timestamp.nullable(),
  status: z.enum(['active', 'failing', 'paused', 'disabled']),
  createdAt: timestamp,
});

// Create takes url and eventTypes; the rest default (description '', format standard, headers {}, no rate limit). Unknown fields are refused.
export const endpointCreateBody = endpointInputSchema.strict();
export const endpointPatchBody = endpointPatchSchema.strict();

export const eventTypeSchema = z.object({
  name: z.string(),
  description: z.string(),
  schema: z.record(z.string(), z.unknown()).describe('JSON Schema of the event data.'),
  sample: z.record(z.string(), z.unknown()),
  deprecated: z.boolean().describe('A deprecated type takes no new subscriptions but still publishes to existing ones.'),
  managed: z.boolean().describe('Defined by the platform (PUT /platform/event-types/{name}); not editable by the tenant.'),
});

export const publishBody = z.strictObject({
  type: z.string().trim().min(1, 'type must name an event type, e.g. compound.created.'),
  data: eventData,
});
const idempotencyKey = (name: string) =>
  z
    .string()
    .min(1)
    .max(255, `${name} must be at most 255 characters.`)
    .regex(/^[\x21-\x7e]+$/, `${name} must be printable ASCII without spaces, e.g. a UUID.`);
export const publishHeaders = z.object({
  'Idempotency-Key': idempotencyKey('Idempotency-Key')
    .optional()
    .describe('Publishing again with the same key and body answers the first event and sends nothing; another body answers 409.'),
});
const deliveriesCount = z.number().int().describe('How many endpoints the event will be sent to (enabled, subscribed; a paused one gets it on Resume).');
const skippedCount = z
  .number()
  .int()
  .describe('How many subscribed endpoints were disabled: the event is recorded for each as a skipped delivery (reason endpoint_disabled), not sent.');
export const publishResult = z.object({
  id: z.string().describe('The event id (evt_…), sent to receivers as webhook-id.'),
  deliveries: deliveriesCount,
  skipped: skippedCount,
});

export const publishBatchBody = z.strictObject({
  events: z
    .array(
      z.strictObject({
        type: z.string().trim().min(1, 'type must name an event type, e.g. compound.created.'),
        data: eventData,
        idempotencyKey: idempotencyKey('idempotencyKey')
          .optional()
          .describe('As the Idempotency-Key header of POST /events, for this event; keys must differ within a batch.'),
      }),
      { message: 'events must be an array of { type, data, idempotencyKey? }.' },
    )
    .min(1, `events must hold 1 to ${MAX_BATCH_EVENTS} events.`)
    .max(MAX_BATCH_EVENTS, `events must hold 1 to ${MAX_BATCH_EVENTS} events; split larger batches.`),
});
export const publishBatchResult = z.object({
  events: z
    .array(
      z.object({
        id: z.string().describe('The event id (evt_…); for a repeated idempotency key, the first event.'),
        type: z.string(),
        deliveries: deliveriesCount,
        skipped: skippedCount,
      }),
    )
    .describe('One per event sent, in the same order.'),
});

export const testBody = z.strictObject({
  type: z.string().trim().min(1, 'type must name an event type, e.g. compound.created.'),
  data: eventData.optional().describe("Defaults to the event type's sample."),
});
export const testResult = z.object({ id: z.string().describe('The test event id.'), deliveryId: z.string() });

export const secretsResult = z.object({
  secrets: z
    .array(
      z.object({
        secret: z.string().describe('whsec_…'),
        graceEndsAt: timestamp.nullable().describe('null on the current secret; when the previous one stops signing.'),
      }),
    )
    .describe('Newest first.'),
});
export const headersResult = z.object({
  headers: z.record(z.string(), z.string()).describe('The custom headers with their values, in the order they are sent.'),
});
export const rotateBody = z.strictObject({
  graceSeconds: z
    .number({ message: 'graceSeconds must be a number of seconds.' })
    .int('graceSeconds must be a whole number of seconds.')
    .min(0, 'graceSeconds must be at least 0 (end the previous secret now).')
    .max(MAX_GRACE_SECONDS, `graceSeconds must be at most ${MAX_GRACE_SECONDS} (7 days).`)
    .default(DEFAULT_GRACE_SECONDS)
    .describe('How long the previous secret keeps signing; 0 ends it now.'),
});
export const rotateResult = z.object({ secret: z.string(), previousGraceEndsAt: timestamp.nullable() });

export const attemptSchema = z.object({
  number: z.number().int(),
  startedAt: timestamp,
  finishedAt: timestamp.nullable(),
  requestHeaders: z.record(z.string(), z.string()).nullable(),
  requestBody: z.string().nullable(),
  responseStatus: z.number().int().nullable(),
  responseHeaders: z.record(z.string(), z.string()).nullable(),
  responseBody: z.string().nullable().describe('Up to 64 KiB.'),
  latencyMs: z.number().int().nullable(),
  failureCause: z.enum(FAILURE_CAUSES).nullable(),
  failureMessage: z.string().nullable(),
  tlsVersion: z.string().nullable(),
  timings: z
    .object({
      dnsMs: z.number().nullable().describe('DNS lookup; null on a reused connection or an IP address.'),
      connectMs: z.number().nullable().describe('TCP connect of a new connection.'),
      tlsMs: z.number().nullable().describe('TLS handshake of a new connection.'),
      ttfbMs: z.number().nullable().describe('Time to first response byte, from the start of the attempt.'),
      totalMs: z.number().nullable().describe('The whole attempt (same as latencyMs).'),
      reused: z.boolean().nullable().describe('A kept-alive connection carried the attempt.'),
    })
    .describe('Where the time went, in milliseconds; null where not measured (attempts recorded before timings were kept).'),
});

export const deliverySchema = z.object({
  id: z.string(),
  eventId: z.string(),
  endpointId: z.string(),
  eventType: z.string(),
  status: z.enum(DELIVERY_STATUSES).describe('skipped: recorded, not sent (see skipReason); replay it to send it.'),
  skipReason: z
    .enum(SKIP_REASONS)
    .nullable()
    .describe('Why a skipped delivery was not sent: endpoint_disabled = the endpoint was disabled when the event was published. null otherwise.'),
  attemptCount: z.number().int().describe('Attempts made so far.'),
  nextAttemptAt: timestamp.nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastLatencyMs: z.number().int().nullable(),
  lastAttemptAt: timestamp.nullable(),
  createdAt: timestamp,
  test: z.boolean().describe('Sent with "send test event".'),
});
export const deliveryDetailSchema = deliverySchema.extend({
  event: z.object({ id: z.string(), type: z.string(), data: z.record(z.string(), z.unknown()), createdAt: timestamp }),
  attempts: z.array(attemptSchema).describe('Every attempt, oldest first.'),
});

export const deliveriesQuery = z.object({
  status: z.enum(DELIVERY_STATUSES, { message: `status must be one of ${DELIVERY_STATUSES.join(', ')}.` }).optional(),
  eventType: z.string().min(1).optional(),
  eventId: z.string().min(1).optional(),
  since: isoInput('since', 'Deliveries created at or after this time').optional(),
  until: isoInput('until', 'Deliveries created before this time').optional(),
  cursor: z
    .string()
    .regex(DELIVERY_CURSOR, 'cursor must be the nextCursor of a previous page.')
    .optional()
    .describe('nextCursor of the previous page.'),
  limit: z.coerce.number().int().min(1, 'limit must be 1 to 100.').max(100, 'limit must be 1 to 100.').default(50),
});

const retry = z
  .enum(['once', 'schedule'], { message: 'retry must be "once" (one attempt) or "schedule" (a fresh run of the retry schedule).' })
  .default('once')
  .describe('once: one new attempt; if it fails the delivery is failed again (as Stripe and Svix resend). schedule: a fresh run of the retry schedule.');
export const replayBody = z.strictObject({ retry });
export const replayResult = z.object({ id: z.string().describe('The delivery id.'), status: z.enum(DELIVERY_STATUSES) });
export const replayFailedBody = z.strictObject({
  since: isoInput('since', 'Replay failed deliveries created at or after this time'),
  dryRun: z.boolean().default(false).describe('Count what would be replayed, without replaying.'),
  retry,
});
export const replaySkippedBody = z.strictObject({
  since: isoInput('since', 'Send skipped deliveries created at or after this time'),
  dryRun: z.boolean().default(false).describe('Count what would be sent, without sending.'),
  retry,
});
export const countResult = z.object({ count: z.number().int() });

// A list answer: `{ data, nextCursor }`; nextCursor is null on the last page.
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}

// Shared shapes named in the document's components, by component name.
export const NAMED_SHAPES = {
  Endpoint: endpointSchema,
  EventType: eventTypeSchema,
  Delivery: deliverySchema,
  Attempt: attemptSchema,
} as const;
