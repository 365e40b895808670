import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { getDb } from '@/lib/db';
import { memberships, users } from '@/db/schema';
import { UserError } from '@/lib/errors';
import { recordAudit } from '@/lib/audit/log';
import { checkPassword, hashPassword } from './passwords';
import { assertCan, type Actor } from './permissions';
import { credentialsSchema } from './users';

// A password change: the current password, and the new one twice.
export const passwordChangeSchema = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password.').max(200, 'Password must be at most 200 characters.'),
    newPassword: credentialsSchema.shape.password,
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ['confirmPassword'], message: 'The two new passwords differ; type the same one twice.' })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ['newPassword'], message: 'Choose a new password that differs from the current one.' });
export type PasswordChange = z.input<typeof passwordChangeSchema>;

// Whether a session that signed in at `signedInAt` (ms) is still current: its user exists and has not ended every
// session since (password change, "Sign out everywhere").
export async function sessionIsCurrent(userId: string, signedInAt: number): Promise<boolean> {
  const db = await getDb();
  const [user] = await db.select({ after: users.sessionsValidAfter }).from(users).where(eq(users.id, userId)).limit(1);
  if (!user) return false;
  return user.after === null || signedInAt >= user.after.getTime();
}

// Changes the signed-in user's password after checking the current one, and ends every session signed in before.
// Audited in each of the user's organizations.
export async function changePassword(actor: Actor, input: PasswordChange): Promise<{ at: Date }> {
  assertAccountHolder(actor);
  const parsed = passwordChangeSchema.safeParse(input);
  if (!parsed.success) throw new UserError('Check the highlighted fields.', z.flattenError(parsed.error).fieldErrors as Record<string, string[]>);
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.id, actor.id)).limit(1);
  const ok = await checkPassword(parsed.data.currentPassword, user?.passwordHash);
  if (!ok || !user) throw new UserError('Check the highlighted fields.', { currentPassword: ['This is not your current password.'] });
  const passwordHash = await hashPassword(parsed.data.newPassword);
  const at = new Date();
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, sessionsValidAfter: at }).where(eq(users.id, user.id));
    await auditEveryOrg(tx, actor, 'account.password_changed');
  });
  return { at };
}

// Ends every session of the signed-in user, this one included. Audited in each of the user's organizations.
export async function signOutEverywhere(actor: Actor): Promise<{ at: Date }> {
  assertAccountHolder(actor);
  const at = new Date();
  await (await getDb()).transaction(async (tx) => {
    await tx.update(users).set({ sessionsValidAfter: at }).where(eq(users.id, actor.id));
    await auditEveryOrg(tx, actor, 'account.signed_out_everywhere');
  });
  return { at };
}

// A password and sessions belong to a Hookrelay account; a platform's portal visitor has neither here.
function assertAccountHolder(actor: Actor): void {
  assertCan(actor, 'account.write');
  if (actor.kind !== 'user') throw new UserError('This account is managed by the platform you came from: change its password and sessions there.');
}

// An account's change concerns every organization the user belongs to: each one's audit log shows it.
async function auditEveryOrg(tx: Tx, actor: Actor, action: string): Promise<void> {
  const orgs = await tx.select({ orgId: memberships.orgId }).from(memberships).where(eq(memberships.userId, actor.id));
  for (const { orgId } of orgs) await recordAudit(tx, { ...actor, orgId }, action, actor.id);
}
