import { z } from 'zod';
import { defineRoute, platformRoute, type RouteDef } from './define';
import {
  countResult, deliveriesQuery, deliveryDetailSchema, deliverySchema, endpointCreateBody, endpointPatchBody, endpointSchema,
  eventTypeSchema, headersResult, listOf, publishBatchBody, publishBatchResult, publishBody, publishHeaders, publishResult, replayBody, replayFailedBody,
  replayResult, replaySkippedBody, rotateBody, rotateResult, secretsResult, testBody, testResult,
} from './schemas';
import {
  brandingBody, brandingResult, pageQuery, platformEventTypeBody, platformEventTypeResult, platformEventTypeSchema, portalSessionBody,
  portalSessionResult, tenantBody, tenantResult, tenantSchema,
} from './platform-schemas';

// Every operation of /api/v1: the handlers validate with these definitions and the OpenAPI document is generated from them.
export const routes = {
  publishEvent: defineRoute({
    method: 'POST', path: '/events', operationId: 'publishEvent', tag: 'Events', permission: 'events.publish',
    summary: 'Publish an event',
    description:
      'Creates an event and one delivery per enabled endpoint subscribed to its type (a paused one gets it on resume); for each disabled ' +
      'subscribed endpoint the event is recorded as a skipped delivery (reason endpoint_disabled), sent later with replay-skipped. ' +
      'Event data is at most 256 KiB encoded.',
    body: publishBody, headers: publishHeaders,
    response: { status: 202, description: 'Accepted; deliveries go out in the background.', schema: publishResult },
    extraStatuses: [{ status: 409, description: 'The Idempotency-Key was used before with another body.' }],
  }),
  publishEvents: defineRoute({
    method: 'POST', path: '/events/batch', operationId: 'publishEvents', tag: 'Events', permission: 'events.publish',
    summary: 'Publish up to 500 events at once',
    description:
      'All or nothing: when any event is invalid nothing is published, and error.details names each problem by its path in the body ' +
      '(e.g. events.3.data.name). Each event is at most 256 KiB encoded and the request at most 5 MiB. The events and their deliveries ' +
      "are written in one transaction. An event's idempotencyKey works as the Idempotency-Key header of POST /events.",
    body: publishBatchBody, bodyPathPrefix: '', maxBodyBytes: 5 * 1024 * 1024,
    response: { status: 202, description: 'Accepted; one entry per event, in request order.', schema: publishBatchResult },
    extraStatuses: [{ status: 409, description: 'An idempotencyKey was used before with another event.' }],
  }),
  listEventTypes: defineRoute({
    method: 'GET', path: '/event-types', operationId: 'listEventTypes', tag: 'Event types', permission: 'webhooks.read',
    summary: "List the organization's event types",
    response: { status: 200, description: 'The catalog, by name.', schema: listOf(eventTypeSchema) },
  }),
  listEndpoints: defineRoute({
    method: 'GET', path: '/endpoints', operationId: 'listEndpoints', tag: 'Endpoints', permission: 'webhooks.read',
    summary: 'List endpoints',
    response: { status: 200, description: 'Every endpoint, oldest first.', schema: listOf(endpointSchema) },
  }),
  createEndpoint: defineRoute({
    method: 'POST', path: '/endpoints', operationId: 'createEndpoint', tag: 'Endpoints', permission: 'webhooks.write',
    summary: 'Create an endpoint',
    description: 'The URL must be HTTPS and resolve to public addresses. The signing secret is returned once here; reveal it later with GET /endpoints/{id}/secret.',
    body: endpointCreateBody,
    response: { status: 201, description: 'Created, with its signing secret.', schema: z.object({ endpoint: endpointSchema, secret: z.string() }) },
    extraStatuses: [{ status: 409, description: 'The organization has as many endpoints as it may have (HOOKRELAY_MAX_ENDPOINTS_PER_ORG).' }],
  }),
  getEndpoint: defineRoute({
    method: 'GET', path: '/endpoints/{id}', operationId: 'getEndpoint', tag: 'Endpoints', permission: 'webhooks.read',
    summary: 'Get an endpoint',
    response: { status: 200, description: 'The endpoint.', schema: endpointSchema },
  }),
  updateEndpoint: defineRoute({
    method: 'PATCH', path: '/endpoints/{id}', operationId: 'updateEndpoint', tag: 'Endpoints', permission: 'webhooks.write',
    summary: 'Change an endpoint', description: 'Send only the fields to change.',
    body: endpointPatchBody,
    response: { status: 200, description: 'The changed endpoint.', schema: endpointSchema },
  }),
  deleteEndpoint: defineRoute({
    method: 'DELETE', path: '/endpoints/{id}', operationId: 'deleteEndpoint', tag: 'Endpoints', permission: 'endpoints.delete',
    summary: 'Delete an endpoint with its secrets and deliveries',
    response: { status: 204, description: 'Deleted.' },
  }),
  getSecrets: defineRoute({
    method: 'GET', path: '/endpoints/{id}/secret', operationId: 'getSecrets', tag: 'Secrets', permission: 'secrets.reveal',
    summary: "Reveal an endpoint's signing secrets", description: 'The current secret and, during a grace period, the previous one. Every reveal is audited.',
    response: { status: 200, description: 'The live secrets, newest first.', schema: secretsResult },
  }),
  getEndpointHeaders: defineRoute({
    method: 'GET', path: '/endpoints/{id}/headers', operationId: 'getEndpointHeaders', tag: 'Endpoints', permission: 'secrets.reveal',
    summary: "Reveal an endpoint's custom header values", description: 'Elsewhere the values are masked. Every reveal is audited.',
    response: { status: 200, description: 'The custom headers with their values.', schema: headersResult },
  }),
  rotateSecret: defineRoute({
    method: 'POST', path: '/endpoints/{id}/secret/rotate', operationId: 'rotateSecret', tag: 'Secrets', permission: 'secrets.rotate',
    summary: 'Rotate the signing secret', description: 'Issues a new secret; the previous one keeps signing for graceSeconds (default 24 h).',
    body: rotateBody,
    response: { status: 200, description: 'The new secret, and when the previous one stops signing (null when it stopped now).', schema: rotateResult },
  }),
  endGracePeriod: defineRoute({
    method: 'POST', path: '/endpoints/{id}/secret/end-grace', operationId: 'endGracePeriod', tag: 'Secrets', permission: 'secrets.rotate',
    summary: 'End the grace period now', description: 'Only the current secret signs from now on.',
    response: { status: 204, description: 'Ended (or there was none).' },
  }),
  sendTestEvent: defineRoute({
    method: 'POST', path: '/endpoints/{id}/test', operationId: 'sendTestEvent', tag: 'Events', permission: 'events.test',
    summary: 'Send a test event to one endpoint', description: "Sends data (or the event type's sample) through the real delivery path to this endpoint only.",
    body: testBody,
    response: { status: 202, description: 'Accepted.', schema: testResult },
    extraStatuses: [{ status: 409, description: 'The endpoint is disabled; enable it first.' }],
  }),
  listDeliveries: defineRoute({
    method: 'GET', path: '/endpoints/{id}/deliveries', operationId: 'listDeliveries', tag: 'Deliveries', permission: 'webhooks.read',
    summary: "List an endpoint's deliveries", description: 'Newest first; filter by status, event type, event id and creation time.',
    query: deliveriesQuery,
    response: { status: 200, description: 'One page of deliveries.', schema: listOf(deliverySchema) },
  }),
  getDelivery: defineRoute({
    method: 'GET', path: '/deliveries/{id}', operationId: 'getDelivery', tag: 'Deliveries', permission: 'webhooks.read',
    summary: 'Get a delivery with its attempts',
    response: { status: 200, description: 'The delivery and every attempt.', schema: deliveryDetailSchema },
  }),
  pauseEndpoint: defineRoute({
    method: 'POST', path: '/endpoints/{id}/pause', operationId: 'pauseEndpoint', tag: 'Endpoints', permission: 'webhooks.write',
    summary: 'Pause an endpoint',
    description:
      'No attempts are made while paused; its deliveries, and those of events published meanwhile, stay pending and go out on resume ' +
      '(unlike disabling, which records new events as skipped). Audited; pausing a paused endpoint changes nothing.',
    response: { status: 200, description: 'The paused endpoint.', schema: endpointSchema },
  }),
  resumeEndpoint: defineRoute({
    method: 'POST', path: '/endpoints/{id}/resume', operationId: 'resumeEndpoint', tag: 'Endpoints', permission: 'webhooks.write',
    summary: 'Resume a paused endpoint', description: 'Its waiting deliveries go out now. Audited.',
    response: { status: 200, description: 'The resumed endpoint.', schema: endpointSchema },
  }),
  replayDelivery: defineRoute({
    method: 'POST', path: '/deliveries/{id}/replay', operationId: 'replayDelivery', tag: 'Deliveries', permission: 'events.test',
    summary: 'Replay a delivery',
    description:
      'One new attempt of the same event, with the same webhook-id; if it fails the delivery is failed again. With retry "schedule", a ' +
      'fresh run of the retry schedule instead. A pending delivery waiting for a retry has that retry brought forward. A skipped delivery is sent.',
    body: replayBody,
    response: { status: 202, description: 'Queued for a new attempt.', schema: replayResult },
    extraStatuses: [{ status: 409, description: 'An attempt is under way; replay once it ends.' }],
  }),
  replayFailed: defineRoute({
    method: 'POST', path: '/endpoints/{id}/replay-failed', operationId: 'replayFailed', tag: 'Deliveries', permission: 'events.test',
    summary: 'Replay every failed delivery since a time', description: 'One attempt each (retry "schedule": a fresh run each). With dryRun, only counts them.',
    body: replayFailedBody,
    response: { status: 200, description: 'How many deliveries are (or, with dryRun, would be) replayed.', schema: countResult },
  }),
  replaySkipped: defineRoute({
    method: 'POST', path: '/endpoints/{id}/replay-skipped', operationId: 'replaySkipped', tag: 'Deliveries', permission: 'events.test',
    summary: 'Send every skipped delivery since a time',
    description: 'The events published while the endpoint was disabled; one attempt each (retry "schedule": a fresh run each). With dryRun, only counts them.',
    body: replaySkippedBody,
    response: { status: 200, description: 'How many deliveries are (or, with dryRun, would be) sent.', schema: countResult },
    extraStatuses: [{ status: 409, description: 'The endpoint is disabled; enable it first.' }],
  }),
  upsertTenant: platformRoute({
    method: 'PUT', path: '/platform/tenants/{externalId}', operationId: 'upsertTenant',
    summary: 'Create or rename a tenant',
    description: 'A tenant is an organization for one of your customers. A new tenant gets the catalog and every platform event type. Idempotent.',
    body: tenantBody,
    response: { status: 200, description: 'Updated (or unchanged).', schema: tenantResult, alternate: { status: 201, description: 'Created.' } },
  }),
  listTenants: platformRoute({
    method: 'GET', path: '/platform/tenants', operationId: 'listTenants',
    summary: 'List tenants', description: 'Oldest first, in keyset pages.',
    query: pageQuery,
    response: { status: 200, description: 'One page of tenants.', schema: listOf(tenantSchema) },
  }),
  getTenant: platformRoute({
    method: 'GET', path: '/platform/tenants/{externalId}', operationId: 'getTenant',
    summary: 'Get a tenant',
    response: { status: 200, description: 'The tenant.', schema: tenantResult },
  }),
  deleteTenant: platformRoute({
    method: 'DELETE', path: '/platform/tenants/{externalId}', operationId: 'deleteTenant',
    summary: 'Delete a tenant and all its data', description: 'Endpoints, events, deliveries, portal users and their sessions go with it, at once.',
    response: { status: 204, description: 'Deleted.' },
  }),
  createPortalSession: platformRoute({
    method: 'POST', path: '/platform/tenants/{externalId}/portal-sessions', operationId: 'createPortalSession',
    summary: 'Make a portal link for one of your users',
    description: 'Opening the URL signs that browser in to this tenant only, as that user with that role, for ttlSeconds, and lands on Settings → Webhooks. Single use, redeemable for 5 minutes. With embed, the pages render for an iframe (origins in HOOKRELAY_EMBED_ORIGINS).',
    body: portalSessionBody,
    response: { status: 201, description: 'The link.', schema: portalSessionResult },
  }),
  endPortalSessions: platformRoute({
    method: 'DELETE', path: '/platform/tenants/{externalId}/portal-sessions', operationId: 'endPortalSessions',
    summary: "End every portal session of a tenant", description: 'Signed-in portal users are out at their next request; unredeemed links stop working.',
    response: { status: 204, description: 'Ended.' },
  }),
  upsertPlatformEventType: platformRoute({
    method: 'PUT', path: '/platform/event-types/{name}', operationId: 'upsertPlatformEventType',
    summary: 'Define an event type for every tenant',
    description: "Upserts the type into every tenant's catalog, present and future, as managed by the platform: tenants see it, subscribe to it and test with it but cannot edit it. A tenant's own type of that name is replaced in place, keeping its subscriptions.",
    body: platformEventTypeBody,
    response: { status: 200, description: 'Updated.', schema: platformEventTypeResult, alternate: { status: 201, description: 'Created.' } },
  }),
  listPlatformEventTypes: platformRoute({
    method: 'GET', path: '/platform/event-types', operationId: 'listPlatformEventTypes',
    summary: "List the platform's event types", description: 'By name, in keyset pages.',
    query: pageQuery,
    response: { status: 200, description: 'One page of platform event types.', schema: listOf(platformEventTypeSchema) },
  }),
  setBranding: platformRoute({
    method: 'PUT', path: '/platform/branding', operationId: 'setBranding',
    summary: 'Set the name, colour and logo portal pages show',
    body: brandingBody,
    response: { status: 200, description: 'The branding now in use.', schema: brandingResult },
  }),
  openapi: defineRoute({
    method: 'GET', path: '/openapi.json', operationId: 'getOpenApi', tag: 'Meta', permission: null,
    summary: 'This document', description: 'OpenAPI 3.1; no key needed.',
    response: { status: 200, description: 'The OpenAPI document.', schema: z.object({ openapi: z.string() }).loose() },
  }),
} satisfies Record<string, RouteDef>;

export const ROUTE_LIST: readonly RouteDef[] = Object.values(routes);
