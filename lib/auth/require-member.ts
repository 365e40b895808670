import { redirect } from 'next/navigation';
import { cookies } from 'next/headers';
import { ACTIVE_ORG_COOKIE } from './active-org';
import { auth } from './auth';
import type { Actor } from './permissions';
import { listOrganizationsForUser } from '@/lib/orgs/members';
import { getPortalSession } from '@/lib/platform/portal';
import { PORTAL_COOKIE, PORTAL_ENDED_PATH } from '@/lib/platform/embed';
import type { Role } from '@/db/schema';

export type Member = Actor & {
  email: string;
  orgName: string;
  organizations: { orgId: string; name: string; role: Role }[];
  /** Set for a platform's portal visitor: where "Back to …" goes, and whether the pages render for an iframe. */
  portal?: { returnUrl: string | null; embed: boolean };
};

// The member of this request: a portal session (cookie hookrelay_portal) when there is one, else the next-auth session's
// active organization. 'ended' when a portal cookie no longer names a live session; null without any session.
export async function currentMember(): Promise<Member | 'ended' | null> {
  const jar = await cookies();
  const portalCookie = jar.get(PORTAL_COOKIE)?.value;
  if (portalCookie !== undefined) {
    const visit = await getPortalSession(portalCookie);
    if (!visit) return 'ended';
    return {
      orgId: visit.orgId,
      id: visit.id,
      label: visit.label,
      role: visit.role,
      kind: 'portal',
      email: visit.label,
      orgName: visit.orgName,
      organizations: [{ orgId: visit.orgId, name: visit.orgName, role: visit.role }],
      portal: { returnUrl: visit.returnUrl, embed: visit.embed },
    };
  }
  const session = await auth();
  if (!session?.user?.id) return null;
  const orgs = await listOrganizationsForUser(session.user.id);
  const chosen = jar.get(ACTIVE_ORG_COOKIE)?.value;
  const active = orgs.find((o) => o.orgId === chosen) ?? orgs.find((o) => o.orgId === session.orgId) ?? orgs[0];
  if (!active) return null;
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

// The signed-in member (see currentMember), with their role read from the database.
// Redirects to sign-in without a session (an ended portal session to the "no longer valid" page); what the member
// may do is checked by permission (memberAction, actorCan, and assertCan in lib/).
export async function requireMember(): Promise<Member> {
  const member = await currentMember();
  if (member === 'ended') redirect(PORTAL_ENDED_PATH);
  if (!member) redirect('/sign-in');
  return member;
}
