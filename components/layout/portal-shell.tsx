import type { Member } from '@/lib/auth/require-member';
import type { Branding } from '@/lib/platform/branding';
import { PORTAL_NAV, SidebarNav } from './sidebar';

// The shell of a platform's portal visitor: the platform's name and colour, Webhooks / Events / Event types / Audit log,
// and "Back to {productName}" instead of an organization switcher and Sign out. Embedded: no sidebar or logo, tabs on top.
export function PortalShell({ member, branding, children }: { member: Member; branding: Branding; children: React.ReactNode }) {
  const back = member.portal?.returnUrl ? (
    <a href={member.portal.returnUrl} target="_top" rel="noopener" className="text-sm font-medium hover:underline" style={{ color: branding.primaryColor }}>
      Back to {branding.productName}
    </a>
  ) : null;
  if (member.portal?.embed) {
    return (
      <div className="min-h-screen" data-portal="embed">
        <header className="flex items-end justify-between gap-4 border-b border-slate-200 bg-white px-6 pt-3">
          <SidebarNav items={PORTAL_NAV} variant="tabs" accent={branding.primaryColor} />
          <div className="pb-2">{back}</div>
        </header>
        <main className="min-w-0 p-6">{children}</main>
      </div>
    );
  }
  return (
    <div className="flex min-h-screen" data-portal="full">
      <aside className="flex w-60 shrink-0 flex-col border-r border-slate-200 bg-white p-4">
        <p className="mb-4 flex items-center gap-2 px-3 text-lg font-semibold tracking-tight" style={{ color: branding.primaryColor }}>
          {/* eslint-disable-next-line @next/next/no-img-element */}
          {branding.logoUrl ? <img src={branding.logoUrl} alt="" className="h-6 w-6 rounded" /> : null}
          {branding.productName}
        </p>
        <p className="mb-4 px-3 text-xs text-slate-500">{member.orgName}</p>
        <SidebarNav items={PORTAL_NAV} accent={branding.primaryColor} />
        <div className="mt-auto border-t border-slate-200 px-3 pt-4 text-sm">
          <p className="truncate text-slate-600" title={member.label}>{member.label}</p>
          <p className="mb-2 text-xs text-slate-400">{member.role}</p>
          {back}
        </div>
      </aside>
      <main className="min-w-0 flex-1 p-8">{children}</main>
    </div>
  );
}
