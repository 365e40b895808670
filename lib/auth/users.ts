import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { newId } from '@/db/ids';
import { users } from '@/db/schema';
import { createOrganization } from '@/lib/orgs/organizations';
import { UserError } from '@/lib/errors';
import { env } from '@/lib/env';
import { hashPassword, checkPassword, needsRehash } from './passwords';
import { clearFailedSignIns, recordFailedSignIn, recordSignUp, signInRefusal, signUpRefusal, type Refusal } from './limits';

// Passwords are at most this long, and every character of them counts.
export const MAX_PASSWORD_LENGTH = 200;

// Sign-up input; the messages are shown beside the fields.
export const credentialsSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254, 'Email must be at most 254 characters.')
    .pipe(z.email('Enter a valid email address, like you@example.com.')),
  password: z.string().min(8, 'Password must be at least 8 characters.').max(MAX_PASSWORD_LENGTH, `Password must be at most ${MAX_PASSWORD_LENGTH} characters.`),
});

// Thrown when a client is over a sign-in or sign-up limit; the message says when to try again.
export class TooManyAttemptsError extends UserError {
  constructor(public refusal: Refusal) {
    super(refusal.message);
  }
}

// Creates a user with their own organization (as owner) and its seeded event-type catalog. With `ip`, the
// address's sign-ups per hour are limited (AUTH_SIGNUP_LIMIT).
export async function signUpUser(input: { email: string; password: string }, opts: { ip?: string } = {}): Promise<{ userId: string; orgId: string }> {
  const refused = opts.ip === undefined ? undefined : signUpRefusal(opts.ip);
  if (!signUpOpen()) throw new UserError(SIGN_UP_CLOSED);
  if (refused) throw new TooManyAttemptsError(refused);
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) throw new UserError('Check the highlighted fields.', z.flattenError(parsed.error).fieldErrors);
  const { email, password } = parsed.data;
  const db = await getDb();
  const taken = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (taken.length) throw emailTaken();
  const passwordHash = await hashPassword(password);
  const userId = newId('usr');
  let orgId: string;
  try {
    orgId = await db.transaction(async (tx) => {
      await tx.insert(users).values({ id: userId, email, passwordHash });
      return (await createOrganization(tx, { name: `${email.split('@')[0]}'s organization`, ownerId: userId })).id;
    });
  } catch (e) {
    if (String((e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code) === '23505') throw emailTaken();
    throw e;
  }
  if (opts.ip !== undefined) recordSignUp(opts.ip);
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

// Checks an email and password; the same hashing work is done whether or not the email exists. A legacy bcrypt
// hash that verifies is replaced by an argon2id one.
export async function verifyCredentials(email: string, password: string): Promise<{ id: string; email: string } | null> {
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1);
  const ok = await checkPassword(password, user?.passwordHash);
  if (!ok || !user) return null;
  if (needsRehash(user.passwordHash)) {
    await db.update(users).set({ passwordHash: await hashPassword(password) }).where(eq(users.id, user.id));
  }
  return { id: user.id, email: user.email };
}

// The one sign-in check both paths use (the form's server action and POST /api/auth/callback/credentials):
// refuses while the email or the client address is over its failed sign-in limit, counts failures, clears the
// email's count on success.
export async function signInWithLimits(
  email: string,
  password: string,
  ip: string,
): Promise<{ ok: true; user: { id: string; email: string } } | { ok: false; refusal?: Refusal }> {
  const refusal = signInRefusal(email, ip);
  if (refusal) return { ok: false, refusal };
  const user = password.length <= MAX_PASSWORD_LENGTH ? await verifyCredentials(email, password) : null;
  if (!user) {
    recordFailedSignIn(email, ip);
    return { ok: false };
  }
  clearFailedSignIns(email);
  return { ok: true, user };
}
