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
  'org.write': 'owner',
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSIONS;

// Who acts: a signed-in member or an API key, with its organization and role.
export type Actor = { orgId: string; id: string; label: string; role: Role; kind: 'user' | 'api_key' };

export function roleAtLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

export function can(role: Role, permission: Permission): boolean {
  return roleAtLeast(role, PERMISSIONS[permission]);
}

// Thrown when an actor lacks a permission; actions turn it into a message, the API into 403.
export class ForbiddenError extends Error {
  constructor(public permission: Permission) {
    super(`Your role does not allow this (${permission} needs ${PERMISSIONS[permission]} or above).`);
  }
}

export function assertCan(actor: Pick<Actor, 'role'>, permission: Permission): void {
  if (!can(actor.role, permission)) throw new ForbiddenError(permission);
}
