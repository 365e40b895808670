import { describe, expect, it } from 'vitest';
import { useTestDb } from '@/test/suite';
import { addMember, changeRole, listMembers, listOrganizationsForUser, membershipOf, removeMember } from './members';
import { listAuditLog } from '@/lib/audit/log';
import { ForbiddenError } from '@/lib/auth/permissions';
import { NotFoundError, UserError } from '@/lib/errors';
import { errorOf, makeOrg, makeUser } from '@/test/factories';

const h = useTestDb();

describe('members', () => {
  it('adds someone who has signed up, by email in any case; refuses unknown emails and duplicates', async () => {
    const org = await makeOrg(h.db, ['owner', 'admin', 'developer']);
    const carol = await makeUser(h.db, 'carol@example.com');
    const unknown = await errorOf(addMember(org.actors.admin, 'nobody@example.com', 'developer'));
    expect(unknown!.fieldErrors!.email).toEqual(['No user with that email has signed up yet; ask them to sign up first, then add them.']);
    const added = await addMember(org.actors.admin, ' Carol@Example.com', 'developer');
    expect(added).toMatchObject({ userId: carol.id, email: 'carol@example.com', role: 'developer' });
    expect((await listAuditLog(org.orgId, { limit: 1 })).data[0]).toMatchObject({ action: 'member.added', target: 'carol@example.com', detail: { role: 'developer' } });
    expect((await errorOf(addMember(org.actors.admin, 'carol@example.com', 'viewer')))!.fieldErrors!.email![0]).toMatch(/already a member/);
    expect((await listMembers(org.orgId)).map((m) => m.email)).toContain('carol@example.com');
    expect(await membershipOf(carol.id, org.orgId)).toBe('developer');
    expect(await errorOf(addMember(org.actors.developer, 'carol@example.com', 'viewer'))).toBeInstanceOf(ForbiddenError);
    expect((await errorOf(addMember(org.actors.admin, 'not an email', 'viewer')))!.fieldErrors!.email).toHaveLength(1);
  });

  it('lets only an owner grant, change or remove the owner role', async () => {
    const org = await makeOrg(h.db, ['owner', 'admin']);
    const dave = await makeUser(h.db);
    const e = await errorOf(addMember(org.actors.admin, dave.email, 'owner'));
    expect(e).toBeInstanceOf(UserError);
    expect(e!.message).toMatch(/Only an owner/);
    expect(await membershipOf(dave.id, org.orgId)).toBeNull();
    await addMember(org.actors.owner, dave.email, 'owner');
    expect((await errorOf(changeRole(org.actors.admin, dave.id, 'viewer')))!.message).toMatch(/Only an owner/);
    expect((await errorOf(removeMember(org.actors.admin, dave.id)))!.message).toMatch(/Only an owner/);
    expect((await errorOf(changeRole(org.actors.admin, org.actors.admin.id, 'owner')))!.message).toMatch(/Only an owner/);
    expect(await membershipOf(dave.id, org.orgId)).toBe('owner');
  });

  it('never leaves an organization without an owner', async () => {
    const org = await makeOrg(h.db, ['owner', 'admin']);
    const owner = org.actors.owner;
    const demote = await errorOf(changeRole(owner, owner.id, 'admin'));
    expect(demote!.message).toBe('An organization needs at least one owner; make someone else owner first.');
    expect((await errorOf(removeMember(owner, owner.id)))!.message).toMatch(/at least one owner/);
    expect(await membershipOf(owner.id, org.orgId)).toBe('owner');

    await changeRole(owner, org.actors.admin.id, 'owner');
    expect((await listAuditLog(org.orgId, { limit: 1 })).data[0]).toMatchObject({ action: 'member.role_changed', detail: { from: 'admin', to: 'owner' } });
    await changeRole(owner, owner.id, 'viewer'); // now there is another owner
    expect(await membershipOf(owner.id, org.orgId)).toBe('viewer');
    const newOwner = { ...org.actors.admin, role: 'owner' as const };
    await removeMember(newOwner, owner.id);
    expect(await membershipOf(owner.id, org.orgId)).toBeNull();
    expect((await listAuditLog(org.orgId, { limit: 1 })).data[0]).toMatchObject({ action: 'member.removed', target: owner.label });
    expect((await errorOf(removeMember(newOwner, newOwner.id)))!.message).toMatch(/at least one owner/);
    expect(await listMembers(org.orgId)).toEqual([{ userId: newOwner.id, email: newOwner.label, role: 'owner', createdAt: expect.any(Date) }]);
  });

  it('refuses a concurrent demotion of the last two owners (one of them stays)', async () => {
    const org = await makeOrg(h.db, ['owner', 'admin']);
    await changeRole(org.actors.owner, org.actors.admin.id, 'owner');
    const second = { ...org.actors.admin, role: 'owner' as const };
    const results = await Promise.allSettled([changeRole(org.actors.owner, org.actors.owner.id, 'admin'), changeRole(second, second.id, 'admin')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await listMembers(org.orgId)).filter((m) => m.role === 'owner')).toHaveLength(1);
  });

  it('lists the organizations of a user with their role, and a membership of another org is not found', async () => {
    const a = await makeOrg(h.db, ['owner']);
    const b = await makeOrg(h.db, ['owner']);
    await addMember(b.actors.owner, a.actors.owner.label, 'viewer');
    expect(await listOrganizationsForUser(a.actors.owner.id)).toEqual([
      { orgId: a.orgId, name: expect.any(String), role: 'owner' },
      { orgId: b.orgId, name: expect.any(String), role: 'viewer' },
    ]);
    expect(await membershipOf(b.actors.owner.id, a.orgId)).toBeNull();
    expect(await errorOf(changeRole(a.actors.owner, b.actors.owner.id, 'viewer'))).toBeInstanceOf(NotFoundError);
    expect(await errorOf(removeMember(a.actors.owner, b.actors.owner.id))).toBeInstanceOf(NotFoundError);
  });
});
