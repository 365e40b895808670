// The values the schema's text columns may hold, and the shape of a delivery id: plain constants without imports, so
// that code which must not load drizzle (the browser's delivery filters) checks against the same lists. schema.ts
// re-exports them.

export const ROLES = ['owner', 'admin', 'developer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
// The wire formats an endpoint may store. lib/signing has the same list (it imports nothing of the project, and db/
// imports nothing of lib/), and lib/ code uses that one; lib/webhooks/wire-formats.test.ts checks the two are equal.
export const WIRE_FORMATS = ['standard', 'axifi', 'axle'] as const;
export const DELIVERY_STATUSES = ['pending', 'delivering', 'succeeded', 'failed', 'skipped'] as const;
/** Why a delivery was recorded as `skipped` (not sent): the endpoint was disabled when the event was published. */
export const SKIP_REASONS = ['endpoint_disabled'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
// A delivery id as newId('dlv') makes it (ULID layout, lower case): the cursor of every delivery page.
export const DELIVERY_CURSOR = /^dlv_[0-9a-z]{26}$/;
export const ENDPOINT_KINDS = ['customer', 'operational'] as const;
export const ALERT_TYPES = ['endpoint.failing', 'endpoint.disabled', 'endpoint.enabled', 'delivery.exhausted'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];
export const ALERT_EMAIL_STATUSES = ['pending', 'sent', 'none', 'failed'] as const;
export const FAILURE_CAUSES = ['dns', 'connect', 'tls', 'timeout', 'redirect', 'http_4xx', 'http_5xx', 'blocked_address'] as const;
