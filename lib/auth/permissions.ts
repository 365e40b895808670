import type { Role } from '../../db/schema';

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
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSIONS;

// Who acts: a signed-in member, an API key, a platform's portal visitor or the platform key, with its organization and role.
export type Actor = { orgId: string; id: string; label: string; role: Role; kind: 'user' | 'api_key' | 'portal' | 'platform' };

// What a platform's portal visitors and the platform key may never do in a tenant, whatever their role.
export const PLATFORM_DENIED: ReadonlySet<string> = new Set(['members.write', 'api-keys.write', 'org.write', 'alerts.write']);

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

// Whether an actor may do something: its role, capped for portal visitors and the platform key.
export function actorCan(actor: Pick<Actor, 'role'> & { kind?: Actor['kind'] }, permission: Permission): boolean {
  if ((actor.kind === 'portal' || actor.kind === 'platform') && PLATFORM_DENIED.has(permission)) return false;
  return can(actor.role, permission);
}

export function assertCan(actor: Pick<Actor, 'role'> & { kind?: Actor['kind'] }, permission: Permission): void {
  if ((actor.kind === 'portal' || actor.kind === 'platform') && PLATFORM_DENIED.has(permission)) {
    throw new ForbiddenError(permission, 'Members, API keys and alerts are managed by the platform, not through the portal or the platform key.');
  }
  if (!can(actor.role, permission)) throw new ForbiddenError(permission);
}
