import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { useTestDb } from '@/test/suite';
import { memberships } from '@/db/schema';
import { listAuditLog } from '@/lib/audit/log';
import { makeOrg } from '@/test/factories';
import { changePassword, sessionIsCurrent, signOutEverywhere } from './account';
import type { Actor } from './permissions';
import { signUpUser, verifyCredentials } from './users';

process.env.DATA_DIR ??= path.resolve('.test-data', `account-${randomBytes(4).toString('hex')}`);

const h = useTestDb();

// A signed-up user (real password hash) who is also a developer in a second organization.
async function person(password = 'first password') {
  const email = `p-${randomBytes(4).toString('hex')}@example.com`;
  const { userId, orgId } = await signUpUser({ email, password });
  const other = await makeOrg(h.db, []);
  await h.db.insert(memberships).values({ orgId: other.orgId, userId, role: 'developer' });
  const actor: Actor = { orgId, id: userId, label: email, role: 'owner', kind: 'user' };
  return { email, actor, orgIds: [orgId, other.orgId] };
}

const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: Error & { fieldErrors?: Record<string, string[]> }) => e);

describe('account: password change and sign out everywhere', () => {
  it('changes the password only with the current one, ending every session signed in before', async () => {
    const { email, actor, orgIds } = await person();
    const signedIn = Date.now() - 1000;
    expect(await sessionIsCurrent(actor.id, signedIn)).toBe(true);
    const wrong = await errorOf(changePassword(actor, { currentPassword: 'not it', newPassword: 'second password', confirmPassword: 'second password' }));
    expect(wrong!.fieldErrors).toEqual({ currentPassword: ['This is not your current password.'] });
    const differ = await errorOf(changePassword(actor, { currentPassword: 'first password', newPassword: 'second password', confirmPassword: 'second passwrd' }));
    expect(differ!.fieldErrors).toEqual({ confirmPassword: ['The two new passwords differ; type the same one twice.'] });
    const short = await errorOf(changePassword(actor, { currentPassword: 'first password', newPassword: 'short', confirmPassword: 'short' }));
    expect(short!.fieldErrors!.newPassword).toEqual(['Password must be at least 8 characters.']);
    expect(await sessionIsCurrent(actor.id, signedIn)).toBe(true); // refused changes end nothing
    const { at } = await changePassword(actor, { currentPassword: 'first password', newPassword: 'second password', confirmPassword: 'second password' });
    expect(await sessionIsCurrent(actor.id, signedIn)).toBe(false);
    expect(await sessionIsCurrent(actor.id, at.getTime())).toBe(true); // a session signed in from now on
    expect(await verifyCredentials(email, 'first password')).toBeNull();
    expect(await verifyCredentials(email, 'second password')).toMatchObject({ id: actor.id });
    for (const orgId of orgIds) {
      const { data } = await listAuditLog(orgId);
      expect(data[0]).toMatchObject({ action: 'account.password_changed', actor: email, target: actor.id });
      expect(JSON.stringify(data)).not.toContain('second password');
    }
  });

  it('signs out everywhere: every session signed in before ends, in every organization the audit log says so', async () => {
    const { actor, orgIds } = await person();
    const before = Date.now() - 1;
    const { at } = await signOutEverywhere(actor);
    expect(await sessionIsCurrent(actor.id, before)).toBe(false);
    expect(await sessionIsCurrent(actor.id, at.getTime() + 5)).toBe(true);
    for (const orgId of orgIds) expect((await listAuditLog(orgId)).data[0]).toMatchObject({ action: 'account.signed_out_everywhere', target: actor.id });
  });

  it('a session of a user that no longer exists is not current', async () => {
    expect(await sessionIsCurrent('usr_gone', Date.now())).toBe(false);
  });

  it('refuses a platform portal visitor (the platform holds its password and sessions), changing nothing', async () => {
    const { actor } = await person();
    const visitor: Actor = { ...actor, kind: 'portal', label: 'ann@acme.test (via platform)' };
    for (const attempt of [
      changePassword(visitor, { currentPassword: 'first password', newPassword: 'second password', confirmPassword: 'second password' }),
      signOutEverywhere(visitor),
    ]) {
      expect((await errorOf(attempt))?.message).toContain('managed by the platform');
    }
    expect(await sessionIsCurrent(actor.id, Date.now() - 1000)).toBe(true);
  });
});
