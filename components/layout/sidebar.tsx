'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export type NavItem = { href: string; label: string };

const NAV: NavItem[] = [
  { href: '/settings/webhooks', label: 'Webhooks' },
  { href: '/events', label: 'Events' },
  { href: '/settings/event-types', label: 'Event types' },
  { href: '/settings/members', label: 'Members' },
  { href: '/settings/api-keys', label: 'API keys' },
  { href: '/settings/alerts', label: 'Alerts' },
  { href: '/settings/audit-log', label: 'Audit log' },
  { href: '/settings/account', label: 'Account' },
];

/** What a platform's portal visitor may open: no Members, no API keys, no Account (the platform holds those). */
export const PORTAL_NAV: NavItem[] = NAV.filter((n) => !['/settings/members', '/settings/api-keys', '/settings/alerts', '/settings/account'].includes(n.href));

// The dashboard's navigation (a sidebar, or tabs along the top in an embedded portal); the current section is highlighted.
export function SidebarNav({ items = NAV, variant = 'sidebar', accent }: { items?: NavItem[]; variant?: 'sidebar' | 'tabs'; accent?: string }) {
  const path = usePathname();
  return (
    <nav aria-label="Settings" className={variant === 'tabs' ? 'flex gap-1 overflow-x-auto' : 'space-y-1'}>
      {items.map((n) => {
        const active = path === n.href || path.startsWith(n.href + '/');
        const look = variant === 'tabs'
          ? `border-b-2 px-3 py-2 text-sm ${active ? 'font-medium text-slate-900' : 'border-transparent text-slate-600 hover:text-slate-900'}`
          : `block rounded-md px-3 py-2 text-sm ${active ? 'bg-indigo-50 font-medium text-indigo-800' : 'text-slate-700 hover:bg-slate-100'}`;
        const style = active && accent ? (variant === 'tabs' ? { borderColor: accent } : { color: accent }) : undefined;
        return (
          <Link key={n.href} href={n.href} aria-current={active ? 'page' : undefined} className={look} style={style}>
            {n.label}
          </Link>
        );
      })}
    </nav>
  );
}
