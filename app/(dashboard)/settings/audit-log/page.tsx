import Link from 'next/link';
import { requireMember } from '@/lib/auth/require-member';
import { auditFacets, listAuditLogView } from '@/lib/audit/log';
import { buttonClass } from '@/components/ui/button-class';
import { Select } from '@/components/ui/select';
import { Table, TBody, Td, Th } from '@/components/ui/table';
import { LocalTime } from '@/components/ui/local-time';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Audit log · Hookrelay' };

const PAGE_SIZE = 50;
type Search = { cursor?: string | string[]; actor?: string | string[]; action?: string | string[] };
const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);

// Settings → Audit log: who did what and when in this organization, in sentences with names, newest first, 50 to a
// page, filtered by actor and by action (a plain GET form, so the filters live in the URL).
export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Search> }) {
  const member = await requireMember();
  const sp = await searchParams;
  const raw = one(sp.cursor);
  const cursor = raw && /^[a-z]+_[0-9a-z]+$/.test(raw) ? raw : null;
  const actor = one(sp.actor)?.slice(0, 320) || undefined;
  const action = one(sp.action)?.slice(0, 100) || undefined;
  const [{ data, nextCursor }, facets] = await Promise.all([
    listAuditLogView(member.orgId, { cursor, limit: PAGE_SIZE, actor, action }),
    auditFacets(member.orgId),
  ]);
  const filters = new URLSearchParams({ ...(actor ? { actor } : {}), ...(action ? { action } : {}) });
  const withFilters = (extra: Record<string, string> = {}) => {
    const q = new URLSearchParams(filters);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    const s = q.toString();
    return `/settings/audit-log${s ? `?${s}` : ''}`;
  };
  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <p className="text-sm text-slate-600">Changes to webhooks, secrets, event types and members, newest first. Every secret reveal and rotation is recorded here.</p>
      </header>
      <form method="get" role="search" aria-label="Filter the audit log" className="flex flex-wrap items-end gap-3">
        <div className="space-y-1">
          <label htmlFor="audit-actor" className="block text-xs font-medium text-slate-600">Actor</label>
          <Select id="audit-actor" name="actor" defaultValue={actor ?? ''} className="max-w-72">
            <option value="">Everyone</option>
            {[...new Set([...facets.actors, ...(actor ? [actor] : [])])].map((a) => <option key={a} value={a}>{a}</option>)}
          </Select>
        </div>
        <div className="space-y-1">
          <label htmlFor="audit-action" className="block text-xs font-medium text-slate-600">Action</label>
          <Select id="audit-action" name="action" defaultValue={action ?? ''}>
            <option value="">All actions</option>
            {[...new Set([...facets.actions, ...(action ? [action] : [])])].map((a) => <option key={a} value={a}>{a}</option>)}
          </Select>
        </div>
        <button type="submit" className={buttonClass('secondary')}>Filter</button>
        {actor || action ? <Link href="/settings/audit-log" className={buttonClass('ghost')}>Clear filters</Link> : null}
      </form>
      {data.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-surface p-8 text-center text-sm text-slate-600">
          {cursor ? 'No older entries.' : actor || action ? 'No entries match these filters.' : 'Nothing recorded yet.'}
        </p>
      ) : (
        <Table caption="Audit log">
          <thead>
            <tr><Th>Time</Th><Th>Actor</Th><Th>Action</Th><Th>Target</Th><Th>What happened</Th></tr>
          </thead>
          <TBody>
            {data.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <Td className="text-xs text-slate-600"><LocalTime at={e.createdAt} /></Td>
                <Td className="break-all">{e.actor}</Td>
                <Td className="font-mono text-xs">{e.action}</Td>
                <Td className="break-all font-mono text-xs">
                  {e.targetHref ? (
                    <Link href={e.targetHref} className="text-indigo-700 underline">{e.targetName}</Link>
                  ) : (e.targetName ?? '—')}
                </Td>
                <Td className="text-slate-700">{e.sentence}</Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      <nav aria-label="Audit log pages" className="flex gap-2">
        {cursor ? <Link href={withFilters()} className={buttonClass('secondary')}>Newest</Link> : null}
        {nextCursor ? <Link href={withFilters({ cursor: nextCursor })} className={buttonClass('secondary')}>Older</Link> : null}
      </nav>
    </div>
  );
}
