import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb } from '../../e2e/harness/db';
import type { DbHandle } from '../../db/client';
import { eventTypes, memberships, users } from '../../db/schema';
import { signUpUser, verifyCredentials } from './users';
import { UserError } from '../errors';

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => h?.close());

describe('sign-up and credentials', () => {
  it('creates the user as owner of a new organization with the seeded catalog, password hashed', async () => {
    const { userId, orgId } = await signUpUser({ email: 'Alice@Example.com ', password: 'long enough pw' });
    const [u] = await h.db.select().from(users).where(eq(users.id, userId));
    expect(u.email).toBe('alice@example.com');
    expect(u.passwordHash).toMatch(/^\$2[aby]\$/);
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
    const t0 = performance.now();
    expect(await verifyCredentials('nobody@example.com', 'whatever pw')).toBeNull();
    expect(performance.now() - t0).toBeGreaterThan(20); // a bcrypt compare ran, not an early return
  });
});
