import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '@/test/suite';
import { eventTypes, memberships, users } from '@/db/schema';
import bcrypt from 'bcryptjs';
import { newId } from '@/db/ids';
import { signInWithLimits, signUpUser, TooManyAttemptsError, verifyCredentials } from './users';
import { resetAuthLimits } from './limits';
import { UserError } from '@/lib/errors';

const h = useTestDb();

describe('sign-up and credentials', () => {
  it('creates the user as owner of a new organization with the seeded catalog, password hashed', async () => {
    const { userId, orgId } = await signUpUser({ email: 'Alice@Example.com ', password: 'long enough pw' });
    const [u] = await h.db.select().from(users).where(eq(users.id, userId));
    expect(u.email).toBe('alice@example.com');
    expect(u.passwordHash).toMatch(/^\$argon2id\$/);
    expect(u.passwordHash).not.toContain('long enough pw');
    const [m] = await h.db.select().from(memberships).where(eq(memberships.userId, userId));
    expect(m).toMatchObject({ orgId, role: 'owner' });
    const types = await h.db.select().from(eventTypes).where(eq(eventTypes.orgId, orgId));
    expect(types.map((t) => t.name).sort()).toEqual(['compound.created', 'investigation.updated']);
  });

  it('refuses an existing email, a short password and a malformed email, creating nothing', async () => {
    const before = (await h.db.select().from(users)).length;
    const err = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as UserError);
    const taken = await err(signUpUser({ email: 'alice@example.com', password: 'another password' }));
    expect(taken?.fieldErrors.email).toEqual(['An account with this email already exists. Sign in instead.']);
    const short = await err(signUpUser({ email: 'bob@example.com', password: 'short' }));
    expect(short?.fieldErrors.password).toEqual(['Password must be at least 8 characters.']);
    const bad = await err(signUpUser({ email: 'bob at example', password: 'long enough pw' }));
    expect(bad?.fieldErrors.email).toEqual(['Enter a valid email address, like you@example.com.']);
    expect((await h.db.select().from(users)).length).toBe(before);
  });

  it('verifies the right password only, and unknown emails fail the same way', async () => {
    expect(await verifyCredentials('ALICE@example.com', 'long enough pw')).toMatchObject({ email: 'alice@example.com' });
    expect(await verifyCredentials('alice@example.com', 'wrong password')).toBeNull();
    expect(await verifyCredentials('nobody@example.com', 'whatever pw')).toBeNull();
    // a hash ran for the unknown email too, not an early return: it takes about as long as a wrong password of a
    // known one (median of 3 each; the hash's cost, not this machine's speed, sets both)
    const median = async (email: string) => {
      const took: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await verifyCredentials(email, 'wrong password');
        took.push(performance.now() - t0);
      }
      return took.sort((a, b) => a - b)[1]!;
    };
    const known = await median('alice@example.com');
    const unknown = await median('nobody@example.com');
    expect(unknown).toBeGreaterThan(known / 2);
  });

  it('verifies a legacy bcrypt hash and replaces it with argon2id at that sign-in', async () => {
    const id = newId('usr');
    await h.db.insert(users).values({ id, email: 'legacy@example.com', passwordHash: bcrypt.hashSync('legacy password', 4) });
    expect(await verifyCredentials('legacy@example.com', 'wrong password')).toBeNull();
    expect((await h.db.select().from(users).where(eq(users.id, id)))[0]!.passwordHash).toMatch(/^\$2[aby]\$/);
    expect(await verifyCredentials('legacy@example.com', 'legacy password')).toMatchObject({ id });
    const upgraded = (await h.db.select().from(users).where(eq(users.id, id)))[0]!.passwordHash;
    expect(upgraded).toMatch(/^\$argon2id\$/);
    expect(await verifyCredentials('legacy@example.com', 'legacy password')).toMatchObject({ id });
    expect((await h.db.select().from(users).where(eq(users.id, id)))[0]!.passwordHash).toBe(upgraded);
  });

  it('a 100-character password whose first 72 characters match does not verify', async () => {
    const password = 'x'.repeat(72) + 'y'.repeat(28);
    await signUpUser({ email: 'long@example.com', password });
    expect(await verifyCredentials('long@example.com', 'x'.repeat(72) + 'z'.repeat(28))).toBeNull();
    expect(await verifyCredentials('long@example.com', 'x'.repeat(72))).toBeNull();
    expect(await verifyCredentials('long@example.com', password)).toMatchObject({ email: 'long@example.com' });
  });

  it('refuses the 11th wrong password for one email, even the right one, with the retry time', async () => {
    resetAuthLimits();
    await signUpUser({ email: 'target@example.com', password: 'the right password' });
    for (let i = 0; i < 10; i++) expect(await signInWithLimits('target@example.com', `guess ${i}`, '10.1.1.1')).toEqual({ ok: false });
    expect(await signInWithLimits('target@example.com', 'the right password', '10.1.1.1')).toEqual({
      ok: false,
      refusal: { message: 'Too many failed sign-ins for this email. Try again in 15 minutes.', retryAfterSeconds: expect.any(Number) },
    });
    expect(await signInWithLimits('alice@example.com', 'long enough pw', '10.1.1.1')).toMatchObject({ ok: true });
    resetAuthLimits();
    expect(await signInWithLimits('target@example.com', 'the right password', '10.1.1.1')).toMatchObject({ ok: true });
  });

  it('limits sign-ups per address (AUTH_SIGNUP_LIMIT, 20 an hour), creating nothing past it', async () => {
    resetAuthLimits();
    for (let i = 0; i < 20; i++) await signUpUser({ email: `many${i}@example.com`, password: 'long enough pw' }, { ip: '10.2.2.2' });
    const before = (await h.db.select().from(users)).length;
    const refused = await signUpUser({ email: 'one-more@example.com', password: 'long enough pw' }, { ip: '10.2.2.2' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TooManyAttemptsError);
    expect((refused as Error).message).toBe('Too many sign-ups from your network. Try again in 60 minutes.');
    expect((await h.db.select().from(users)).length).toBe(before);
    await signUpUser({ email: 'elsewhere@example.com', password: 'long enough pw' }, { ip: '10.3.3.3' });
  });
});
