import type { Role } from '@/db/schema';

// What each role may do; a role has its own permissions and those of every role below it.
const RANK: Record<Role, number> = { viewer: 0, developer: 1, admin: 2, owner: 3 };

export const PERMISSIONS = {
  'webhooks.read': 'viewer', // endpoints, event types, deliveries, audit log
  'webhooks.write': 'developer', // create and edit endpoints
  'secrets.reveal': 'developer',
  'events.test': 'developer', // send test events, replay, check endpoint
  'events.publish': 'developer',
  'secrets.rotate': 'admin',
  'endpoints.delete': 'admin',
  'event-types.write': 'admin',
  'members.write': 'admin',
  'api-keys.write': 'admin',
  'alerts.write': 'admin', // Settings → Alerts: destinations, the operational webhook's secret
  'org.write': 'owner',
  'account.write': 'viewer', // one's own password and sessions (a signed-in user only, lib/auth/account.ts)
  'platform.write': 'admin', // tenants, platform event types, branding, portal links: the platform key only
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSIONS;

// Writes the system makes on no one's behalf, so without an Actor: the delivery worker (lib/delivery: claims, attempts,
// endpoint disable), the alerts scan and the operational webhook (lib/alerts), the retention purge
// (lib/delivery/retention.ts), sign-up and its first organization (lib/auth/users.ts), sign-in limits and API-key
// last use, portal-link redemption (lib/platform/portal.ts, whose token is the authorization), the demo seed
// (lib/demo), and recordAudit (called inside the writes above).

// Who acts: a signed-in member, an API key, a platform's portal visitor or the platform key, with its organization and role.
export type Actor = { orgId: string; id: string; label: string; role: Role; kind: 'user' | 'api_key' | 'portal' | 'platform' };

// What a platform's portal visitors and the platform key may never do in a tenant, whatever their role.
export const PLATFORM_DENIED: ReadonlySet<string> = new Set(['members.write', 'api-keys.write', 'org.write', 'alerts.write']);
// What only the platform key may do, whatever the role.
const PLATFORM_ONLY: ReadonlySet<string> = new Set(['platform.write']);

export function roleAtLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

export function can(role: Role, permission: Permission): boolean {
  return roleAtLeast(role, PERMISSIONS[permission]);
}

// Thrown when an actor lacks a permission; actions turn it into a message, the API into 403.
export class ForbiddenError extends Error {
  constructor(
    public permission: Permission,
    /** Set when the refusal is not about the role (a portal visitor or the platform key). */
    public reason?: string,
  ) {
    super(reason ?? `Your role does not allow this (${permission} needs ${PERMISSIONS[permission]} or above).`);
  }
}

type Who = Pick<Actor, 'role'> & { kind?: Actor['kind'] };

// Why an actor may not do something (the error assertCan throws), or null when it may: its role, capped for portal
// visitors and the platform key; platform-wide writes are the platform key's alone.
export function refusalOf(actor: Who, permission: Permission): ForbiddenError | null {
  if (PLATFORM_ONLY.has(permission) && actor.kind !== 'platform') {
    return new ForbiddenError(permission, 'Only the platform key manages tenants, platform event types, branding and portal links.');
  }
  if ((actor.kind === 'portal' || actor.kind === 'platform') && PLATFORM_DENIED.has(permission)) {
    return new ForbiddenError(permission, 'Members, API keys and alerts are managed by the platform, not through the portal or the platform key.');
  }
  return can(actor.role, permission) ? null : new ForbiddenError(permission);
}

// Whether an actor may do something (see refusalOf).
export function actorCan(actor: Who, permission: Permission): boolean {
  return refusalOf(actor, permission) === null;
}

export function assertCan(actor: Who, permission: Permission): void {
  const refused = refusalOf(actor, permission);
  if (refused) throw refused;
}
