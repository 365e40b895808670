import { z } from 'zod';
import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { getDb, getDbHandle } from '@/lib/db';
import { memberships, organizations, ROLES, users, type Role } from '@/db/schema';
import { announceAccessChange, notifyAccessChange } from '@/lib/auth/access-signal';
import { assertCan, type Actor } from '@/lib/auth/permissions';
import { NotFoundError, UserError } from '@/lib/errors';
import { recordAudit } from '@/lib/audit/log';

// A member as the members page lists it.
export type MemberView = { userId: string; email: string; role: Role; createdAt: Date };

// Adding a member: the email of someone who has signed up, and a role.
export const memberInputSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('Enter a valid email address, like you@example.com.')),
  role: z.enum(ROLES, { message: `Role must be one of ${ROLES.join(', ')}.` }),
});

// Changing a member's role.
export const roleInputSchema = z.object({ role: memberInputSchema.shape.role });

const LAST_OWNER = 'An organization needs at least one owner; make someone else owner first.';

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new UserError('Check the highlighted fields.', z.flattenError(r.error).fieldErrors as Record<string, string[]>);
  return r.data;
}

// Only an owner may make an owner, or change or remove one.
function assertOwnerRules(actor: Actor, role: Role | null, targetRole: Role | null): void {
  if (actor.role !== 'owner' && (role === 'owner' || targetRole === 'owner')) {
    const message = 'Only an owner can grant, change or remove the owner role; ask an owner.';
    throw new UserError(message, role === 'owner' ? { role: [message] } : {});
  }
}

// Locks the organization row so that membership changes of one organization happen one at a time (the last-owner rule holds).
async function lockOrg(tx: Tx, orgId: string): Promise<void> {
  await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId)).for('update');
}

async function findMember(tx: Tx, orgId: string, userId: string) {
  const [row] = await tx
    .select({ role: memberships.role, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  if (!row) throw new NotFoundError('Member');
  return row;
}

async function ownerCount(tx: Tx, orgId: string): Promise<number> {
  const rows = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'owner')));
  return rows.length;
}

// The members of an organization, oldest first.
export async function listMembers(orgId: string): Promise<MemberView[]> {
  const db = await getDb();
  return db
    .select({ userId: memberships.userId, email: users.email, role: memberships.role, createdAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(memberships.createdAt), asc(users.email));
}

// Adds someone who has already signed up to the organization.
export async function addMember(actor: Actor, email: string, role: Role): Promise<MemberView> {
  assertCan(actor, 'members.write');
  const input = parse(memberInputSchema, { email, role });
  assertOwnerRules(actor, input.role, null);
  return (await getDb()).transaction(async (tx) => {
    await lockOrg(tx, actor.orgId);
    const [user] = await tx.select().from(users).where(eq(users.email, input.email));
    if (!user) {
      throw new UserError('Check the highlighted fields.', {
        email: ['No user with that email has signed up yet; ask them to sign up first, then add them.'],
      });
    }
    const [existing] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, actor.orgId), eq(memberships.userId, user.id)));
    if (existing) {
      throw new UserError('Check the highlighted fields.', { email: [`${user.email} is already a member (${existing.role}); change their role instead.`] }, 'conflict');
    }
    const [row] = await tx.insert(memberships).values({ orgId: actor.orgId, userId: user.id, role: input.role }).returning();
    await recordAudit(tx, actor, 'member.added', user.email, { userId: user.id, role: input.role });
    return { userId: user.id, email: user.email, role: row!.role, createdAt: row!.createdAt };
  });
}

// Changes a member's role; the organization always keeps an owner.
export async function changeRole(actor: Actor, userId: string, role: Role): Promise<void> {
  assertCan(actor, 'members.write');
  const input = parse(roleInputSchema, { role });
  const handle = await getDbHandle();
  await handle.db.transaction(async (tx) => {
    await lockOrg(tx, actor.orgId);
    const member = await findMember(tx, actor.orgId, userId);
    assertOwnerRules(actor, input.role, member.role);
    if (member.role === input.role) return;
    if (member.role === 'owner' && (await ownerCount(tx, actor.orgId)) <= 1) throw new UserError(LAST_OWNER, { role: [LAST_OWNER] });
    await tx
      .update(memberships)
      .set({ role: input.role })
      .where(and(eq(memberships.orgId, actor.orgId), eq(memberships.userId, userId)));
    await recordAudit(tx, actor, 'member.role_changed', member.email, { userId, from: member.role, to: input.role });
    await notifyAccessChange(tx, handle.kind, { orgId: actor.orgId, userId }); // their keys are capped at their role
  });
  announceAccessChange({ orgId: actor.orgId, userId });
}

// Removes a member from the organization; the organization always keeps an owner.
export async function removeMember(actor: Actor, userId: string): Promise<void> {
  assertCan(actor, 'members.write');
  const handle = await getDbHandle();
  await handle.db.transaction(async (tx) => {
    await lockOrg(tx, actor.orgId);
    const member = await findMember(tx, actor.orgId, userId);
    assertOwnerRules(actor, null, member.role);
    if (member.role === 'owner' && (await ownerCount(tx, actor.orgId)) <= 1) throw new UserError(LAST_OWNER);
    await tx.delete(memberships).where(and(eq(memberships.orgId, actor.orgId), eq(memberships.userId, userId)));
    await recordAudit(tx, actor, 'member.removed', member.email, { userId, role: member.role });
    await notifyAccessChange(tx, handle.kind, { orgId: actor.orgId, userId }); // their keys stop working
  });
  announceAccessChange({ orgId: actor.orgId, userId });
}

// The organizations a user belongs to, with their role in each, oldest membership first.
export async function listOrganizationsForUser(userId: string): Promise<{ orgId: string; name: string; role: Role }[]> {
  const db = await getDb();
  return db
    .select({ orgId: organizations.id, name: organizations.name, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(organizations.id));
}

// A user's role in an organization, or null when they are not a member.
export async function membershipOf(userId: string, orgId: string): Promise<Role | null> {
  const db = await getDb();
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.orgId, orgId)));
  return row?.role ?? null;
}
