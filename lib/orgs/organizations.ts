import { newId } from '../../db/ids';
import { memberships, organizations } from '../../db/schema';
import type { Tx } from '../../db/client';
import { seedEventTypes } from '../webhooks/catalog';

// Creates an organization with its owner and its seeded event-type catalog, inside the caller's transaction.
export async function createOrganization(tx: Tx, input: { name: string; ownerId: string }): Promise<string> {
  const orgId = newId('org');
  await tx.insert(organizations).values({ id: orgId, name: input.name });
  await tx.insert(memberships).values({ orgId, userId: input.ownerId, role: 'owner' });
  await seedEventTypes(tx, orgId);
  return orgId;
}
