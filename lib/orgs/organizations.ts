import { newId } from '@/db/ids';
import { memberships, organizations, type Organization } from '@/db/schema';
import type { Tx } from '@/db/client';
import { seedEventTypes } from '@/lib/webhooks/catalog';

// Creates an organization with its seeded event-type catalog, and its owner when it has one (a platform's tenant has
// none: the platform's portal users come and go), inside the caller's transaction.
export async function createOrganization(tx: Tx, input: { name: string; ownerId?: string; externalId?: string }): Promise<Organization> {
  const [org] = await tx.insert(organizations).values({ id: newId('org'), name: input.name, externalId: input.externalId ?? null }).returning();
  if (input.ownerId) await tx.insert(memberships).values({ orgId: org!.id, userId: input.ownerId, role: 'owner' });
  await seedEventTypes(tx, org!.id);
  return org!;
}
