import type { z } from 'zod';
import type { Attempt, EventType } from '@/db/schema';
import type { DeliveryDetail, DeliveryRow } from '@/lib/webhooks/deliveries';
import { apiDeliveryJson } from '@/lib/webhooks/delivery-json';
import type { EndpointView } from '@/lib/webhooks/endpoints';
import type { RevealedSecret } from '@/lib/webhooks/secrets';
import type { attemptSchema, deliveryDetailSchema, deliverySchema, endpointSchema, eventTypeSchema, secretsResult } from './schemas';

// Domain objects as the API shows them: times as ISO strings, no organization ids, no internal fields.

export function iso(d: Date): string;
export function iso(d: Date | null | undefined): string | null;
export function iso(d: Date | null | undefined): string | null {
  return d ? d.toISOString() : null;
}

export function apiEndpoint(e: EndpointView): z.input<typeof endpointSchema> {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    format: e.format,
    headers: e.headers,
    rateLimitPerSecond: e.rateLimitPerSecond,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    paused: e.pausedAt !== null,
    pausedAt: iso(e.pausedAt),
    status: e.status,
    createdAt: iso(e.createdAt),
  };
}

export function apiEventType(t: EventType): z.input<typeof eventTypeSchema> {
  return { name: t.name, description: t.description, schema: t.schema, sample: t.sample, deprecated: t.deprecated, managed: t.managed };
}

export function apiSecrets(secrets: RevealedSecret[]): z.input<typeof secretsResult> {
  return { secrets: secrets.map((s) => ({ secret: s.secret, graceEndsAt: iso(s.expiresAt) })) };
}

// The delivery serializer the dashboard's routes use too (lib/webhooks/delivery-json), in the API's shape.
export function apiDelivery(d: DeliveryRow): z.input<typeof deliverySchema> {
  return apiDeliveryJson(d);
}

export function apiAttempt(a: Attempt): z.input<typeof attemptSchema> {
  return {
    number: a.number,
    startedAt: iso(a.startedAt),
    finishedAt: iso(a.finishedAt),
    requestHeaders: a.requestHeaders,
    requestBody: a.requestBody,
    responseStatus: a.responseStatus,
    responseHeaders: a.responseHeaders,
    responseBody: a.responseBody,
    latencyMs: a.latencyMs,
    failureCause: a.failureCause,
    failureMessage: a.failureMessage,
    tlsVersion: a.tlsVersion,
    timings: { dnsMs: a.dnsMs, connectMs: a.connectMs, tlsMs: a.tlsMs, ttfbMs: a.ttfbMs, totalMs: a.latencyMs, reused: a.connectionReused },
  };
}

// A delivery with its event (data parsed back from the stored text, key order kept) and its attempts.
export function apiDeliveryDetail(d: DeliveryDetail): z.input<typeof deliveryDetailSchema> {
  return {
    ...apiDelivery(d.delivery),
    event: { id: d.event.id, type: d.event.type, data: JSON.parse(d.event.data) as Record<string, unknown>, createdAt: iso(d.event.createdAt) },
    attempts: d.attempts.map(apiAttempt),
  };
}
