import { randomBytes } from 'node:crypto';
import type { Db } from '@/db/client';
import { newId } from '@/db/ids';
import { memberships, organizations, users, type Role } from '@/db/schema';
import type { Actor } from '@/lib/auth/permissions';
import { seedEventTypes } from '@/lib/webhooks/catalog';

// A resolver for tests: every name resolves to one public address, with no network.
export const publicResolver = async (_host: string): Promise<string[]> => ['93.184.215.14'];

// Makes a user row (for tests and seeds that bypass sign-up).
export async function makeUser(db: Db, email = `u-${randomBytes(4).toString('hex')}@example.com`): Promise<{ id: string; email: string }> {
  const id = newId('usr');
  await db.insert(users).values({ id, email, passwordHash: 'not-a-real-hash' });
  return { id, email };
}

// Makes an organization with the seeded catalog and one member (and Actor) per role asked for.
export async function makeOrg(db: Db, roles: readonly Role[] = ['owner', 'admin', 'developer', 'viewer']) {
  const orgId = newId('org');
  await db.insert(organizations).values({ id: orgId, name: `Org ${orgId.slice(-4)}` });
  await seedEventTypes(db, orgId);
  const actors = {} as Record<Role, Actor>;
  for (const role of roles) {
    const user = await makeUser(db, `${role}-${randomBytes(4).toString('hex')}@example.com`);
    await db.insert(memberships).values({ orgId, userId: user.id, role });
    actors[role] = { orgId, id: user.id, label: user.email, role, kind: 'user' };
  }
  return { orgId, actors };
}

// Who publishes in tests that have no member at hand: a developer-role API key of the organization.
export function publisher(orgId: string): Actor {
  return { orgId, id: 'key_test_publisher', label: 'test publisher', role: 'developer', kind: 'api_key' };
}

// Catches the error of a promise (or null when it resolves), for asserting on fieldErrors.
export function errorOf(p: Promise<unknown>): Promise<(Error & { fieldErrors?: Record<string, string[]> }) | null> {
  return p.then(
    () => null,
    (e: unknown) => e as Error & { fieldErrors?: Record<string, string[]> },
  );
}
