import { requireMember } from '@/lib/auth/require-member';
import { SidebarNav } from '@/components/layout/sidebar';
import { PortalShell } from '@/components/layout/portal-shell';
import { getBranding } from '@/lib/platform/branding';
import { signOutAction } from '@/app/(auth)/actions';
import { switchOrganizationAction } from './actions';

export const dynamic = 'force-dynamic';

// The signed-in shell: organization, navigation, who you are and Sign out.
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const member = await requireMember();
  if (member.portal) return <PortalShell member={member} branding={await getBranding()}>{children}</PortalShell>;
  return (
    <div className="flex min-h-screen">
      <aside className="flex w-60 shrink-0 flex-col border-r border-slate-200 bg-surface p-4">
        <p className="mb-4 px-3 text-lg font-semibold tracking-tight"><span className="text-indigo-700">Hook</span>relay</p>
        {member.organizations.length > 1 ? (
          <form action={switchOrganizationAction} className="mb-4 space-y-1 px-1">
            <p className="break-words px-2 text-sm font-medium text-slate-800">{member.orgName}</p>
            <label htmlFor="org-switch" className="block px-2 text-xs font-medium text-slate-600">Organization</label>
            <select id="org-switch" name="orgId" defaultValue={member.orgId} title={member.orgName} className="w-full rounded-md border border-slate-300 bg-surface px-2 py-1 text-sm">
              {member.organizations.map((o) => <option key={o.orgId} value={o.orgId}>{o.name} ({o.role})</option>)}
            </select>
            <button className="w-full rounded-md px-2 py-1 text-sm ring-1 ring-slate-300 hover:bg-slate-100">Switch</button>
          </form>
        ) : (
          <p className="mb-4 break-words px-3 text-xs text-slate-600">{member.orgName}</p>
        )}
        <SidebarNav />
        <div className="mt-auto border-t border-slate-200 pt-4 text-sm">
          <p className="truncate px-3 text-slate-600" title={member.email}>{member.email}</p>
          <p className="px-3 text-xs text-slate-500">{member.role}</p>
          <form action={signOutAction}>
            <button className="mt-2 w-full rounded-md px-3 py-2 text-left text-slate-700 hover:bg-slate-100">Sign out</button>
          </form>
        </div>
      </aside>
      <main className="min-w-0 flex-1 p-8">{children}</main>
    </div>
  );
}
