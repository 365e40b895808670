import { redirect } from 'next/navigation';
import { cookies } from 'next/headers';
import { ACTIVE_ORG_COOKIE } from './active-org';
import { auth } from './auth';
import { roleAtLeast, type Actor } from './permissions';
import { listOrganizationsForUser } from '../webhooks/members';
import type { Role } from '../../db/schema';

export type Member = Actor & { email: string; orgName: string; organizations: { orgId: string; name: string; role: Role }[] };

// The signed-in member of the session's active organization, with their role read from the database.
// Redirects to sign-in without a session; throws when the role is below `min` (actions turn that into a message).
export async function requireMember(min: Role = 'viewer'): Promise<Member> {
  const session = await auth();
  if (!session?.user?.id) redirect('/sign-in');
  const orgs = await listOrganizationsForUser(session.user.id);
  const chosen = (await cookies()).get(ACTIVE_ORG_COOKIE)?.value;
  const active = orgs.find((o) => o.orgId === chosen) ?? orgs.find((o) => o.orgId === session.orgId) ?? orgs[0];
  if (!active) redirect('/sign-in');
  if (!roleAtLeast(active.role, min)) throw new Error(`This needs the ${min} role or above; you are ${active.role}.`);
  return {
    orgId: active.orgId,
    id: session.user.id,
    label: session.user.email ?? session.user.id,
    role: active.role,
    kind: 'user',
    email: session.user.email ?? '',
    orgName: active.name,
    organizations: orgs,
  };
}
