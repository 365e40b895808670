import { notFound } from 'next/navigation';
import { requireMember } from '@/lib/auth/require-member';
import { can } from '@/lib/auth/permissions';
import { listMembers } from '@/lib/orgs/members';
import { ROLES } from '@/db/schema';
import { Card } from '@/components/ui/card';
import { Table, TBody, Th } from '@/components/ui/table';
import { AddMemberForm } from '@/components/members/add-member-form';
import { MemberRow } from '@/components/members/member-row';
import { addMemberAction, changeRoleAction, removeMemberAction } from './actions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Members · Hookrelay' };

// Settings → Members: who belongs to this organization and with which role; admins add, change and remove members.
export default async function MembersPage() {
  const member = await requireMember();
  if (member.portal) notFound(); // members and API keys are the platform's, not a portal visitor's
  const members = await listMembers(member.orgId);
  const canWrite = can(member.role, 'members.write');
  // Only an owner may grant the owner role (the lib enforces it too).
  const roles = ROLES.filter((r) => r !== 'owner' || member.role === 'owner');
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">Members</h1>
        <p className="text-sm text-slate-600">
          Viewers see everything read-only; developers create and edit webhooks and reveal secrets; admins also rotate secrets, delete webhooks and manage event types and members; owners can grant the owner role.
        </p>
      </header>
      {canWrite ? (
        <Card title="Add member">
          <AddMemberForm action={addMemberAction} roles={[...roles]} />
        </Card>
      ) : null}
      <Table caption="Members">
        <thead>
          <tr><Th>Email</Th><Th>Role</Th><Th>Member since</Th>{canWrite ? <Th><span className="sr-only">Actions</span></Th> : null}</tr>
        </thead>
        <TBody>
          {members.map((m) => (
            <MemberRow key={m.userId} member={{ userId: m.userId, email: m.email, role: m.role, createdAt: m.createdAt.toISOString() }}
              isYou={m.userId === member.id} canWrite={canWrite} roles={[...roles]}
              actions={{ changeRole: changeRoleAction, remove: removeMemberAction }} />
          ))}
        </TBody>
      </Table>
    </div>
  );
}
