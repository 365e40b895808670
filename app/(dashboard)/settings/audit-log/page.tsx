import Link from 'next/link';
import { requireMember } from '@/lib/auth/require-member';
import { listAuditLog } from '@/lib/webhooks/audit';
import { buttonClass } from '@/components/ui/button-class';
import { Table, TBody, Td, Th } from '@/components/ui/table';
import { exactTime, formatTime } from '@/components/webhooks/format';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Audit log · Hookrelay' };

const PAGE_SIZE = 50;

// Settings → Audit log: who did what and when in this organization, newest first, 50 to a page.
export default async function AuditLogPage({ searchParams }: { searchParams: Promise<{ cursor?: string | string[] }> }) {
  const member = await requireMember('viewer');
  const raw = (await searchParams).cursor;
  const cursor = typeof raw === 'string' && /^[a-z]+_[0-9a-z]+$/.test(raw) ? raw : null;
  const { data, nextCursor } = await listAuditLog(member.orgId, { cursor, limit: PAGE_SIZE });
  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <p className="text-sm text-slate-600">Changes to webhooks, secrets, event types and members, newest first. Every secret reveal and rotation is recorded here.</p>
      </header>
      {data.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">
          {cursor ? 'No older entries.' : 'Nothing recorded yet.'}
        </p>
      ) : (
        <Table caption="Audit log">
          <thead>
            <tr><Th>Time</Th><Th>Actor</Th><Th>Action</Th><Th>Target</Th><Th>Detail</Th></tr>
          </thead>
          <TBody>
            {data.map((e) => (
              <tr key={e.id}>
                <Td className="whitespace-nowrap text-xs text-slate-600">
                  <time dateTime={e.createdAt.toISOString()} title={exactTime(e.createdAt)}>{formatTime(e.createdAt)}</time>
                </Td>
                <Td className="break-all">{e.actor}</Td>
                <Td className="whitespace-nowrap font-mono text-xs">{e.action}</Td>
                <Td className="break-all font-mono text-xs">
                  {e.target && e.target.startsWith('ep_') && e.action !== 'endpoint.deleted' ? (
                    <Link href={`/settings/webhooks/${e.target}`} className="text-indigo-700 underline">{e.target}</Link>
                  ) : (e.target ?? '—')}
                </Td>
                <Td className="max-w-md break-all font-mono text-xs text-slate-600">{e.detail ? JSON.stringify(e.detail) : '—'}</Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      <nav aria-label="Audit log pages" className="flex gap-2">
        {cursor ? <Link href="/settings/audit-log" className={buttonClass('secondary')}>Newest</Link> : null}
        {nextCursor ? <Link href={`/settings/audit-log?cursor=${encodeURIComponent(nextCursor)}`} className={buttonClass('secondary')}>Older</Link> : null}
      </nav>
    </div>
  );
}
