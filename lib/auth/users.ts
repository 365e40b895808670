import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { getDb } from '../../db/client';
import { newId } from '../../db/ids';
import { memberships, organizations, users } from '../../db/schema';
import { seedEventTypes } from '../webhooks/catalog';
import { UserError } from '../errors';
import { env } from '../env';
import { hashPassword, checkPassword } from './passwords';

// Sign-up input; the messages are shown beside the fields.
export const credentialsSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254, 'Email must be at most 254 characters.')
    .pipe(z.email('Enter a valid email address, like you@example.com.')),
  password: z.string().min(8, 'Password must be at least 8 characters.').max(200, 'Password must be at most 200 characters.'),
});

// Creates a user with their own organization (as owner) and its seeded event-type catalog.
export async function signUpUser(input: { email: string; password: string }): Promise<{ userId: string; orgId: string }> {
  if (!signUpOpen()) throw new UserError(SIGN_UP_CLOSED);
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) throw new UserError('Check the highlighted fields.', z.flattenError(parsed.error).fieldErrors);
  const { email, password } = parsed.data;
  const db = await getDb();
  const taken = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (taken.length) throw emailTaken();
  const passwordHash = await hashPassword(password);
  const userId = newId('usr');
  const orgId = newId('org');
  try {
    await db.transaction(async (tx) => {
      await tx.insert(users).values({ id: userId, email, passwordHash });
      await tx.insert(organizations).values({ id: orgId, name: `${email.split('@')[0]}'s organization` });
      await tx.insert(memberships).values({ orgId, userId, role: 'owner' });
      await seedEventTypes(tx, orgId);
    });
  } catch (e) {
    if (String((e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code) === '23505') throw emailTaken();
    throw e;
  }
  return { userId, orgId };
}

export const SIGN_UP_CLOSED = 'Sign-up is closed on this server (HOOKRELAY_SIGNUP=off); ask an administrator to add you to an organization.';

// Whether anyone may create an account (HOOKRELAY_SIGNUP, on by default).
export function signUpOpen(): boolean {
  return env().HOOKRELAY_SIGNUP !== 'off';
}

function emailTaken() {
  return new UserError('Check the highlighted fields.', { email: ['An account with this email already exists. Sign in instead.'] });
}

// Checks an email and password; the same bcrypt work is done whether or not the email exists.
export async function verifyCredentials(email: string, password: string): Promise<{ id: string; email: string } | null> {
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1);
  const ok = await checkPassword(password, user?.passwordHash);
  return ok && user ? { id: user.id, email: user.email } : null;
}
