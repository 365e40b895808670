'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const NAV = [
  { href: '/settings/webhooks', label: 'Webhooks' },
  { href: '/events', label: 'Events' },
  { href: '/settings/event-types', label: 'Event types' },
  { href: '/settings/members', label: 'Members' },
  { href: '/settings/api-keys', label: 'API keys' },
  { href: '/settings/audit-log', label: 'Audit log' },
  { href: '/settings/account', label: 'Account' },
];

// The dashboard's navigation; the current section is highlighted.
export function SidebarNav() {
  const path = usePathname();
  return (
    <nav aria-label="Settings" className="space-y-1">
      {NAV.map((n) => {
        const active = path === n.href || path.startsWith(n.href + '/');
        return (
          <Link key={n.href} href={n.href} aria-current={active ? 'page' : undefined}
            className={`block rounded-md px-3 py-2 text-sm ${active ? 'bg-indigo-50 font-medium text-indigo-800' : 'text-slate-700 hover:bg-slate-100'}`}>
            {n.label}
          </Link>
        );
      })}
    </nav>
  );
}
