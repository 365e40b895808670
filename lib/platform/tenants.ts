import { z } from 'zod';
import { and, asc, eq, gt, isNotNull } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { getDb } from '@/lib/db';
import { organizations, type Organization } from '@/db/schema';
import { assertCan, type Actor } from '@/lib/auth/permissions';
import { NotFoundError, UserError } from '@/lib/errors';
import { createOrganization } from '@/lib/orgs/organizations';
import { copyPlatformEventTypes, lockPlatformCatalog } from './event-types';

// A tenant's id in the platform: 1–128 of A–Z a–z 0–9 . _ : -
export const externalIdSchema = z
  .string()
  .min(1, 'externalId must be 1–128 characters.')
  .max(128, 'externalId must be 1–128 characters.')
  .regex(/^[A-Za-z0-9._:-]+$/, 'externalId may only hold A–Z, a–z, 0–9 and . _ : -');

export const tenantInputSchema = z.strictObject({
  name: z.string({ message: 'name must be a string.' }).trim().min(1, 'Give the tenant a name.').max(200, 'name must be at most 200 characters.'),
});

export type Tenant = Pick<Organization, 'id' | 'name' | 'createdAt'> & { externalId: string };

// Parses an externalId, throwing the validation error the API answers with 422.
export function parseExternalId(value: string): string {
  const r = externalIdSchema.safeParse(value);
  if (!r.success) throw new UserError(r.error.issues[0]!.message, { externalId: r.error.issues.map((i) => i.message) });
  return r.data;
}

function toTenant(o: Pick<Organization, 'id' | 'name' | 'createdAt' | 'externalId'>): Tenant {
  return { id: o.id, externalId: o.externalId!, name: o.name, createdAt: o.createdAt };
}

// How the platform key appears when it acts in a tenant: an admin that may not manage members or API keys.
export function platformActor(orgId: string, keyId: string): Actor {
  return { orgId, id: keyId, label: 'Platform', role: 'admin', kind: 'platform' };
}

// The organization id of a tenant, or null.
export async function findTenantOrgId(externalId: string): Promise<string | null> {
  if (!externalIdSchema.safeParse(externalId).success) return null;
  const [row] = await (await getDb()).select({ id: organizations.id }).from(organizations).where(eq(organizations.externalId, externalId)).limit(1);
  return row?.id ?? null;
}

// Creates the tenant (with the catalog and the platform's event types) or renames it; says which.
export async function upsertTenant(actor: Actor, externalIdRaw: string, input: unknown): Promise<{ tenant: Tenant; created: boolean }> {
  assertCan(actor, 'platform.write');
  const externalId = parseExternalId(externalIdRaw);
  const r = tenantInputSchema.safeParse(input);
  if (!r.success) throw new UserError('Check the highlighted fields.', z.flattenError(r.error).fieldErrors as Record<string, string[]>);
  const { name } = r.data;
  const db = await getDb();
  return db.transaction(async (tx) => {
    await lockPlatformCatalog(tx, 'shared'); // a tenant made now also gets a platform event type defined now
    const [existing] = await tx.select().from(organizations).where(eq(organizations.externalId, externalId)).for('update');
    if (existing) {
      if (existing.name === name) return { tenant: toTenant(existing), created: false };
      const [row] = await tx.update(organizations).set({ name }).where(eq(organizations.id, existing.id)).returning();
      return { tenant: toTenant(row!), created: false };
    }
    const org = await createOrganization(tx, { name, externalId });
    await copyPlatformEventTypes(tx, org.id);
    return { tenant: toTenant(org), created: true };
  });
}

// One tenant by its externalId.
export async function getTenant(externalIdRaw: string): Promise<Tenant> {
  const externalId = parseExternalId(externalIdRaw);
  const [row] = await (await getDb()).select().from(organizations).where(eq(organizations.externalId, externalId)).limit(1);
  if (!row) throw new NotFoundError('Tenant');
  return toTenant(row);
}

// One page of tenants, oldest first; pass nextCursor back for the next page.
export async function listTenants(opts: { cursor?: string | null; limit?: number } = {}): Promise<{ data: Tenant[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 50) || 50, 1), 200);
  const rows = await (await getDb())
    .select()
    .from(organizations)
    .where(and(isNotNull(organizations.externalId), opts.cursor ? gt(organizations.id, opts.cursor) : undefined))
    .orderBy(asc(organizations.id))
    .limit(limit + 1);
  const data = rows.slice(0, limit).map(toTenant);
  return { data, nextCursor: rows.length > limit ? data[data.length - 1]!.id : null };
}

// Deletes a tenant with all its data: endpoints, events, deliveries, portal users and their sessions.
export async function deleteTenant(actor: Actor, externalIdRaw: string): Promise<void> {
  assertCan(actor, 'platform.write');
  const externalId = parseExternalId(externalIdRaw);
  const db = await getDb();
  const deleted = await db.transaction(async (tx: Tx) => {
    const rows = await tx.delete(organizations).where(eq(organizations.externalId, externalId)).returning({ id: organizations.id });
    return rows.length;
  });
  if (!deleted) throw new NotFoundError('Tenant');
}
