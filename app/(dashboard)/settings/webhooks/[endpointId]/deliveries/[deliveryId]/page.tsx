import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireMember } from '@/lib/auth/require-member';
import { can } from '@/lib/auth/permissions';
import { env } from '@/lib/env';
import { NotFoundError } from '@/lib/errors';
import { getDelivery, type DeliveryDetail } from '@/lib/webhooks/deliveries';
import { getEndpoint } from '@/lib/webhooks/endpoints';
import { isOneAttemptRun } from '@/lib/delivery/retry';
import { Badge, Card } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { AttemptUnderWay, AttemptView } from '@/components/deliveries/attempt-view';
import { DeliveryStatusBadge, When } from '@/components/deliveries/delivery-table';
import { formatLatency, pollDelayMs, prettyJson, skipReasonText } from '@/components/deliveries/format';
import { LiveRefresh } from '@/components/deliveries/live-refresh';
import { ReplayButton } from '@/components/deliveries/replay-button';
import { LocalTime } from '@/components/ui/local-time';
import { replayDeliveryAction } from '@/app/(dashboard)/settings/webhooks/[endpointId]/deliveries/actions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Delivery · Hookrelay' };

async function load(orgId: string, endpointId: string, id: string) {
  try {
    const detail: DeliveryDetail = await getDelivery(orgId, id);
    if (detail.delivery.endpointId !== endpointId) notFound();
    return { ...detail, endpoint: await getEndpoint(orgId, endpointId) };
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
}

// One delivery: its event payload, every attempt (request, response, cause and hint), what happens next, and Replay.
export default async function DeliveryPage({ params }: { params: Promise<{ endpointId: string; deliveryId: string }> }) {
  const { endpointId, deliveryId } = await params;
  const member = await requireMember();
  const { delivery: d, event, attempts, endpoint } = await load(member.orgId, endpointId, deliveryId);
  const held = !endpoint.enabled ? 'disabled' : endpoint.pausedAt ? 'paused' : null;
  const now = Date.now();
  const payload = prettyJson(event.data);
  const newestFirst = [...attempts].reverse();
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <LiveRefresh delayMs={pollDelayMs([d], now)} />
      <header className="space-y-3">
        <nav className="flex gap-3 text-sm">
          <Link href={`/settings/webhooks/${endpointId}`} className="text-indigo-700 underline">← Endpoint</Link>
          <Link href="/events" className="text-indigo-700 underline">Events</Link>
        </nav>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0 space-y-2">
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="text-xl font-semibold">{d.eventType}</h1>
              <DeliveryStatusBadge status={d.status} />
              {d.test ? <Badge>test event</Badge> : null}
            </div>
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="text-slate-500">Event id</dt>
              <dd className="font-mono" data-testid="event-id">{d.eventId}</dd>
              <dt className="text-slate-500">Delivery id</dt>
              <dd className="font-mono">{d.id}</dd>
              <dt className="text-slate-500">Endpoint</dt>
              <dd className="break-all font-mono">{d.endpointUrl}</dd>
              <dt className="text-slate-500">Created</dt>
              <dd><When at={d.createdAt} now={now} /> <span className="text-xs text-slate-500">(<LocalTime at={d.createdAt} seconds />)</span></dd>
              <dt className="text-slate-500">Attempts</dt>
              <dd className="tabular-nums">{d.attempts}{d.lastStatusCode ? ` · last response ${d.lastStatusCode}` : ''}{d.lastLatencyMs !== null ? ` · ${formatLatency(d.lastLatencyMs)}` : ''}</dd>
              {d.status === 'skipped' ? (
                <>
                  <dt className="text-slate-500">Skipped</dt>
                  <dd data-testid="skip-reason"><span className="font-mono">{d.skipReason ?? 'not sent'}</span>: {skipReasonText(d.skipReason)}.</dd>
                </>
              ) : null}
              <dt className="text-slate-500">Next attempt</dt>
              <dd data-testid="next-retry">
                {d.status === 'pending' && held === 'paused' ? (
                  'Waiting: the endpoint is paused; this delivery goes out when it is resumed.'
                ) : d.status === 'pending' && held === 'disabled' ? (
                  'Waiting: the endpoint is disabled; this delivery goes out when it is enabled again.'
                ) : d.status === 'pending' && d.nextAttemptAt ? (
                  <>
                    {d.attempts > 0 ? 'Retry ' : ''}<When at={d.nextAttemptAt} now={now} /> <span className="text-xs text-slate-500">(<LocalTime at={d.nextAttemptAt} seconds />)</span>
                    {isOneAttemptRun(d.scheduleStep) ? <span className="text-xs text-slate-500"> · a replay: one attempt, no retries after it</span> : null}
                  </>
                ) : d.status === 'failed' ? (
                  isOneAttemptRun(d.scheduleStep)
                    ? 'None: the replay made one attempt, which failed, and Hookrelay does not retry a replay unless asked. Replay again (tick Retry on schedule for retries).'
                    : 'None: every attempt of the retry schedule failed. Replay to try again.'
                ) : d.status === 'skipped' ? (
                  held === 'disabled' ? 'None: not sent. Enable the endpoint, then Replay to send it.' : 'None: not sent. Replay to send it.'
                ) : d.status === 'succeeded' ? 'None: delivered.' : d.status === 'delivering' ? 'An attempt is under way.' : '—'}
              </dd>
            </dl>
          </div>
          {can(member.role, 'events.test') ? <ReplayButton action={replayDeliveryAction} endpointId={endpointId} deliveryId={d.id} disabled={d.status === 'delivering'} /> : null}
        </div>
      </header>

      <Card title="Event payload" actions={<CopyButton value={payload} />}>
        <pre tabIndex={0} aria-label="Event payload" className="focus-visible:outline-2 focus-visible:outline-indigo-500 max-h-96 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-900">{payload}</pre>
        <p className="mt-2 text-xs text-slate-500">
          The event&apos;s <code>data</code>, created <LocalTime at={event.createdAt} seconds />. Each attempt below shows the exact body sent in the endpoint&apos;s format.
        </p>
      </Card>

      <section aria-label="Attempts" className="space-y-4">
        <h2 className="text-sm font-semibold text-slate-900">Attempts, newest first</h2>
        {d.status === 'delivering' ? <AttemptUnderWay number={d.attempts} timeoutMs={env().WEBHOOK_TIMEOUT_MS} /> : null}
        {newestFirst.length === 0 && d.status !== 'delivering' ? (
          <p className="rounded-lg border border-dashed border-slate-300 bg-surface p-6 text-center text-sm text-slate-600">
            No attempt yet: the delivery is queued and goes out in a moment.
          </p>
        ) : (
          newestFirst.map((a) => <AttemptView key={a.id} attempt={a} now={now} timeoutMs={env().WEBHOOK_TIMEOUT_MS} />)
        )}
      </section>
    </div>
  );
}
