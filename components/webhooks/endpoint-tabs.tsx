'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

// The tabs of an endpoint's page, each with its own URL (DESIGN.md "Pages").
export const ENDPOINT_TABS = [
  { slug: '', label: 'Overview' },
  { slug: 'deliveries', label: 'Deliveries' },
  { slug: 'testing', label: 'Testing' },
  { slug: 'settings', label: 'Settings' },
  { slug: 'receiver-code', label: 'Receiver code' },
] as const;

// Links in a nav, so they work before hydration and by keyboard; the current tab has aria-current="page".
export function EndpointTabs({ endpointId }: { endpointId: string }) {
  const path = usePathname();
  const base = `/settings/webhooks/${endpointId}`;
  return (
    <nav aria-label="Endpoint" className="flex gap-1 overflow-x-auto border-b border-slate-200">
      {ENDPOINT_TABS.map((t) => {
        const href = t.slug ? `${base}/${t.slug}` : base;
        const active = t.slug ? path === href || path.startsWith(`${href}/`) : path === base;
        return (
          <Link key={t.slug} href={href} aria-current={active ? 'page' : undefined}
            className={`-mb-px whitespace-nowrap border-b-2 px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600 ${active ? 'border-indigo-600 font-medium text-indigo-800' : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900'}`}>
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
