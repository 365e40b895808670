import { relations, sql } from 'drizzle-orm';
import {
  pgTable, text, timestamp, integer, real, boolean, json, jsonb, primaryKey, index, uniqueIndex,
} from 'drizzle-orm/pg-core';

export * from './values';
import { ALERT_EMAIL_STATUSES, ALERT_TYPES, DELIVERY_STATUSES, ENDPOINT_KINDS, FAILURE_CAUSES, ROLES, SKIP_REASONS, WIRE_FORMATS } from './values';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const created = () => ts('created_at').notNull().defaultNow();
const idKey = () => text('id').primaryKey();
// The organization a row belongs to; deleting the organization deletes the row.
const orgKey = () => text('org_id').notNull().references(() => organizations.id, { onDelete: 'cascade' });
// The organization of a row that goes with its parent (a delivery with its event, an attempt with its delivery): the
// parent's cascade already deletes it with the organization, so no key of its own — a foreign-key check per row is
// about a fifth of what inserting a delivery costs (migration 0011).
const orgOfParent = () => text('org_id').notNull();

export const users = pgTable('users', {
  id: idKey(),
  email: text('email').notNull().unique(),
  name: text('name'),
  passwordHash: text('password_hash').notNull(),
  /** Sessions signed in before this time are over (password change, "Sign out everywhere"); null: none ended. */
  sessionsValidAfter: ts('sessions_valid_after'),
  /** A platform's portal visitor: the tenant it belongs to and the platform's own user id (null for Hookrelay users). */
  portalOrgId: text('portal_org_id').references(() => organizations.id, { onDelete: 'cascade' }),
  portalUserId: text('portal_user_id'),
  createdAt: created(),
}, (t) => [uniqueIndex('users_portal_idx').on(t.portalOrgId, t.portalUserId)]);

export const organizations = pgTable('organizations', {
  id: idKey(),
  name: text('name').notNull(),
  /** A platform tenant's id in the platform (PUT /api/v1/platform/tenants/{externalId}); null for signed-up organizations. */
  externalId: text('external_id').unique(),
  /** Bumped by triggers whenever what a publish reads changes (its endpoints, their subscriptions, its event types), so
   * a publish may write from a cached read and have the write refused when the read went stale (publish-store.ts). */
  configVersion: integer('config_version').notNull().default(0),
  createdAt: created(),
});

export const memberships = pgTable(
  'memberships',
  {
    orgId: orgKey(),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    createdAt: created(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

export const endpoints = pgTable(
  'endpoints',
  {
    id: idKey(),
    orgId: orgKey(),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    format: text('format', { enum: WIRE_FORMATS }).notNull().default('standard'),
    /** Subscribed event type names; ['*'] means every type, present and future. */
    eventTypes: jsonb('event_types').$type<string[]>().notNull(),
    /** Custom headers sent with every delivery, in the order the user gave them; values sealed (lib/crypto sealHeaders). */
    headers: json('headers').$type<Record<string, string>>().notNull().default({}),
    rateLimitPerSecond: integer('rate_limit_per_second'),
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason'),
    disabledAt: ts('disabled_at'),
    /** Set while paused: no attempts are made, deliveries stay pending (and new ones are made) until Resume. */
    pausedAt: ts('paused_at'),
    lastSuccessAt: ts('last_success_at'),
    /** Start of the current run of failures (null after a success); 5 days of it disables the endpoint. */
    failingSince: ts('failing_since'),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    /** `customer`: a tenant's endpoint; `operational`: the organization's alert webhook (lib/alerts), never listed or counted. */
    kind: text('kind', { enum: ENDPOINT_KINDS }).notNull().default('customer'),
    /** The failing_since an endpoint.failing alert was raised for (compare-and-set: once per run of failures). */
    alertedFailingSince: ts('alerted_failing_since'),
    /** The disabled_at an endpoint.disabled alert was raised for; cleared when endpoint.enabled is raised. */
    alertedDisabledAt: ts('alerted_disabled_at'),
    createdAt: created(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('endpoints_org_idx').on(t.orgId, t.id),
    // what the alert scan (lib/alerts/detect.ts) visits: failing, disabled, or alerted as disabled
    index('endpoints_failing_idx').on(t.failingSince).where(sql`failing_since is not null`),
    index('endpoints_alert_state_idx').on(t.id).where(sql`not enabled or alerted_disabled_at is not null`),
  ],
);

/** Where an organization's alerts go (Settings → Alerts). */
export const alertSettings = pgTable('alert_settings', {
  orgId: text('org_id').primaryKey().references(() => organizations.id, { onDelete: 'cascade' }),
  /** Addresses that get alert emails (bounded in lib/alerts/settings.ts). */
  emails: jsonb('emails').$type<string[]>().notNull().default([]),
  /** The operational webhook: an endpoint of kind `operational`. */
  webhookEndpointId: text('webhook_endpoint_id').references(() => endpoints.id, { onDelete: 'set null' }),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Every alert raised, once per endpoint per state change (dedupe_key), with how its email went. */
export const alerts = pgTable(
  'alerts',
  {
    id: idKey(),
    orgId: orgKey(),
    endpointId: text('endpoint_id').notNull().references(() => endpoints.id, { onDelete: 'cascade' }),
    type: text('type', { enum: ALERT_TYPES }).notNull(),
    /** Unique per state change: a second raise of the same change inserts nothing. */
    dedupeKey: text('dedupe_key').notNull().unique(),
    /** The alert's `data` object as JSON text (key order kept). */
    data: text('data').notNull(),
    /** pending → sent (alone or in a digest); `none` when no email was due; `failed` when the server refused it. */
    emailStatus: text('email_status', { enum: ALERT_EMAIL_STATUSES }).notNull(),
    emailSentAt: ts('email_sent_at'),
    /** The operational webhook's delivery of this alert, if one was configured. */
    webhookDeliveryId: text('webhook_delivery_id'),
    createdAt: created(),
  },
  (t) => [
    index('alerts_org_idx').on(t.orgId, t.id.desc()),
    // the last exhausted email of an endpoint (hourly digest), and deleting an endpoint's alerts with it
    index('alerts_endpoint_idx').on(t.endpointId, t.type, t.emailSentAt),
    index('alerts_email_pending_idx').on(t.orgId, t.createdAt).where(sql`email_status = 'pending'`),
  ],
);

export const endpointSecrets = pgTable(
  'endpoint_secrets',
  {
    id: idKey(),
    orgId: orgKey(),
    endpointId: text('endpoint_id').notNull().references(() => endpoints.id, { onDelete: 'cascade' }),
    /** AES-256-GCM sealed `whsec_…` (lib/crypto). */
    sealed: text('sealed').notNull(),
    createdAt: created(),
    /** End of the grace period of a rotated-out secret; null on the current secret. */
    expiresAt: ts('expires_at'),
  },
  (t) => [index('endpoint_secrets_endpoint_idx').on(t.endpointId, t.createdAt)],
);

export const eventTypes = pgTable(
  'event_types',
  {
    id: idKey(),
    orgId: orgKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    schema: json('schema').$type<Record<string, unknown>>().notNull(),
    sample: json('sample').$type<Record<string, unknown>>().notNull(),
    deprecated: boolean('deprecated').notNull().default(false),
    /** Defined by the platform (PUT /api/v1/platform/event-types/{name}); not editable in the dashboard. */
    managed: boolean('managed').notNull().default(false),
    createdAt: created(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('event_types_org_name_idx').on(t.orgId, t.name)],
);

/** The platform's own event types, copied into every tenant's catalog, present and future. */
export const platformEventTypes = pgTable('platform_event_types', {
  name: text('name').primaryKey(),
  description: text('description').notNull().default(''),
  schema: json('schema').$type<Record<string, unknown>>().notNull(),
  sample: json('sample').$type<Record<string, unknown>>().notNull(),
  deprecated: boolean('deprecated').notNull().default(false),
  createdAt: created(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** A portal link the platform asked for: single use, redeemable until expiresAt. Only the token's hash is kept. */
export const portalTokens = pgTable(
  'portal_tokens',
  {
    id: idKey(),
    orgId: orgKey(),
    hash: text('hash').notNull().unique(),
    platformUserId: text('platform_user_id').notNull(),
    email: text('email'),
    name: text('name'),
    role: text('role', { enum: ROLES }).notNull(),
    returnUrl: text('return_url'),
    ttlSeconds: integer('ttl_seconds').notNull(),
    embed: boolean('embed').notNull().default(false),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    createdAt: created(),
  },
  (t) => [index('portal_tokens_org_idx').on(t.orgId)],
);

/** A browser signed in through a portal link (cookie hookrelay_portal holds the secret; only its hash is kept). */
export const portalSessions = pgTable(
  'portal_sessions',
  {
    id: idKey(),
    orgId: orgKey(),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    hash: text('hash').notNull().unique(),
    role: text('role', { enum: ROLES }).notNull(),
    /** As the audit log names the visitor: "{email or id} (via platform)". */
    label: text('label').notNull(),
    returnUrl: text('return_url'),
    embed: boolean('embed').notNull().default(false),
    expiresAt: ts('expires_at').notNull(),
    createdAt: created(),
  },
  (t) => [index('portal_sessions_org_idx').on(t.orgId)],
);

/** The platform's branding for portal pages (one row, id 'platform'). */
export const platformBranding = pgTable('platform_branding', {
  id: idKey(),
  productName: text('product_name').notNull(),
  primaryColor: text('primary_color').notNull(),
  logoUrl: text('logo_url'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const events = pgTable(
  'events',
  {
    id: idKey(),
    orgId: orgKey(),
    type: text('type').notNull(),
    /** The data object as JSON text, so its key order survives (jsonb would reorder keys). */
    data: text('data').notNull(),
    idempotencyKey: text('idempotency_key'),
    /** Hash of the publish request, so a reused key with another body can be told apart (409). */
    requestHash: text('request_hash'),
    /** Sent with "Send test event" from the dashboard rather than published: no alert, no failure run counts it. */
    isTest: boolean('is_test').notNull().default(false),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex('events_org_idempotency_idx').on(t.orgId, t.idempotencyKey),
    index('events_org_idx').on(t.orgId, t.id),
  ],
);

export const deliveries = pgTable(
  'deliveries',
  {
    id: idKey(),
    orgId: orgOfParent(),
    eventId: text('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
    endpointId: text('endpoint_id').notNull().references(() => endpoints.id, { onDelete: 'cascade' }),
    eventType: text('event_type').notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    /** Attempts started so far; taken at claim, so a worker that died still counts its attempt. */
    attempts: integer('attempts').notNull().default(0),
    /** Attempts in the current run of the retry schedule (a replay "on schedule" starts a new run at 0; a plain replay
     * sets ONE_ATTEMPT_RUN from lib/delivery/retry.ts, a run with no retries left). */
    scheduleStep: integer('schedule_step').notNull().default(0),
    /** Why a `skipped` delivery was not sent; null otherwise. */
    skipReason: text('skip_reason', { enum: SKIP_REASONS }),
    nextAttemptAt: ts('next_attempt_at'),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: ts('lease_expires_at'),
    lastStatusCode: integer('last_status_code'),
    lastLatencyMs: integer('last_latency_ms'),
    lastAttemptAt: ts('last_attempt_at'),
    createdAt: created(),
  },
  (t) => [
    // No queue index here: due work and leases live in delivery_queue, so a claim writes none of these indexes.
    index('deliveries_endpoint_idx').on(t.endpointId, t.id.desc()),
    index('deliveries_org_idx').on(t.orgId, t.id.desc()),
    index('deliveries_org_status_idx').on(t.orgId, t.status, t.id.desc()),
    index('deliveries_org_type_idx').on(t.orgId, t.eventType, t.id.desc()),
    // The delivery lists' combined filters (bench/history.ts): status + event type, and status on one endpoint.
    index('deliveries_org_status_type_idx').on(t.orgId, t.status, t.eventType, t.id.desc()),
    index('deliveries_endpoint_status_idx').on(t.endpointId, t.status, t.id.desc()),
    index('deliveries_event_idx').on(t.eventId),
  ],
);

/**
 * The hot queue state of unfinished deliveries, apart from their history: one narrow row per pending delivery, made
 * and removed by triggers on `deliveries` (db/migrations: any insert of a pending delivery, any change into or out of
 * pending outside a worker's own result write), claimed and leased by workers (lib/delivery/claim.ts). `dueAt` is when
 * it may be claimed: the next attempt's time, or the end of the lease while a worker holds it (`leaseOwner` set), so
 * that an expired lease makes it due again with no separate scan. `deliveries.status` stays `pending` while an attempt
 * is under way; readers show `delivering` when a lease is held (lib/delivery/queue.ts).
 */
export const deliveryQueue = pgTable(
  'delivery_queue',
  {
    deliveryId: text('delivery_id').primaryKey().references(() => deliveries.id, { onDelete: 'cascade' }),
    orgId: text('org_id').notNull(),
    endpointId: text('endpoint_id').notNull(),
    eventId: text('event_id').notNull(),
    dueAt: ts('due_at').notNull(),
    leaseOwner: text('lease_owner'),
    /** As deliveries.attempts / schedule_step, counted here at claim (deliveries takes them with the result). */
    attempts: integer('attempts').notNull().default(0),
    scheduleStep: integer('schedule_step').notNull().default(0),
  },
  // Led by org_id so that claims visit each organization's due work in turn (lib/delivery/claim.ts).
  (t) => [index('delivery_queue_due_idx').on(t.orgId, t.dueAt)],
);

export const attempts = pgTable(
  'attempts',
  {
    id: idKey(),
    orgId: orgOfParent(),
    deliveryId: text('delivery_id').notNull().references(() => deliveries.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    startedAt: ts('started_at').notNull(),
    finishedAt: ts('finished_at'),
    /** As sent, with custom header values masked (they are secrets). */
    requestHeaders: json('request_headers').$type<Record<string, string>>(),
    requestBody: text('request_body'),
    responseStatus: integer('response_status'),
    responseHeaders: json('response_headers').$type<Record<string, string>>(),
    responseBody: text('response_body'),
    latencyMs: integer('latency_ms'),
    failureCause: text('failure_cause', { enum: FAILURE_CAUSES }),
    failureMessage: text('failure_message'),
    tlsVersion: text('tls_version'),
    peerCertExpiresAt: ts('peer_cert_expires_at'),
    /** Where the time went (ms): DNS, TCP connect and TLS of a new connection; time to first byte from the start. */
    dnsMs: real('dns_ms'),
    connectMs: real('connect_ms'),
    tlsMs: real('tls_ms'),
    ttfbMs: real('ttfb_ms'),
    /** True when a kept-alive connection carried the attempt (no DNS, connect or TLS). */
    connectionReused: boolean('connection_reused'),
  },
  (t) => [uniqueIndex('attempts_delivery_number_idx').on(t.deliveryId, t.number)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: idKey(),
    orgId: orgKey(),
    name: text('name').notNull(),
    /** The visible start of the key (`hr_abcd…`), to tell keys apart in the list. */
    prefix: text('prefix').notNull(),
    /** SHA-256 of the whole key, hex; the key itself is never stored. */
    hash: text('hash').notNull().unique(),
    role: text('role', { enum: ROLES }).notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: created(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('api_keys_org_idx').on(t.orgId)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: idKey(),
    orgId: orgKey(),
    actorId: text('actor_id'),
    /** Who, as shown: the user's email or "API key <name>". */
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    detail: json('detail').$type<Record<string, unknown>>(),
    createdAt: created(),
  },
  (t) => [index('audit_log_org_idx').on(t.orgId, t.id.desc())],
);

export const usersRelations = relations(users, ({ many }) => ({ memberships: many(memberships) }));
export const organizationsRelations = relations(organizations, ({ many }) => ({
  memberships: many(memberships),
  endpoints: many(endpoints),
}));
export const membershipsRelations = relations(memberships, ({ one }) => ({
  user: one(users, { fields: [memberships.userId], references: [users.id] }),
  organization: one(organizations, { fields: [memberships.orgId], references: [organizations.id] }),
}));
export const endpointsRelations = relations(endpoints, ({ many }) => ({ secrets: many(endpointSecrets), deliveries: many(deliveries) }));
export const endpointSecretsRelations = relations(endpointSecrets, ({ one }) => ({
  endpoint: one(endpoints, { fields: [endpointSecrets.endpointId], references: [endpoints.id] }),
}));
export const deliveriesRelations = relations(deliveries, ({ one, many }) => ({
  event: one(events, { fields: [deliveries.eventId], references: [events.id] }),
  endpoint: one(endpoints, { fields: [deliveries.endpointId], references: [endpoints.id] }),
  attempts: many(attempts),
}));
export const attemptsRelations = relations(attempts, ({ one }) => ({
  delivery: one(deliveries, { fields: [attempts.deliveryId], references: [deliveries.id] }),
}));

export type User = typeof users.$inferSelect;
export type Organization = typeof organizations.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Endpoint = typeof endpoints.$inferSelect;
export type EndpointSecret = typeof endpointSecrets.$inferSelect;
export type EventType = typeof eventTypes.$inferSelect;
export type Event = typeof events.$inferSelect;
export type Delivery = typeof deliveries.$inferSelect;
export type Attempt = typeof attempts.$inferSelect;
export type QueuedDelivery = typeof deliveryQueue.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
export type PlatformEventType = typeof platformEventTypes.$inferSelect;
export type Alert = typeof alerts.$inferSelect;
export type AlertSettings = typeof alertSettings.$inferSelect;
export type PortalSession = typeof portalSessions.$inferSelect;
