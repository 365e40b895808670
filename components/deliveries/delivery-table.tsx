import Link from 'next/link';
import { Badge } from '@/components/ui/card';
import { Table, TBody, Td, Th } from '@/components/ui/table';
import { exactTime } from '@/components/ui/time';
import { formatLatency, middleEllipsis, relativeTime, skipReasonText, statusTone } from './format';
import type { DeliveryRowJson } from '@/lib/webhooks/delivery-json';

// A delivery's status as a coloured badge.
export function DeliveryStatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTone(status)}>{status}</Badge>;
}

// A time as "2 min ago", exact on hover.
export function When({ at, now }: { at: string | Date | null; now: number }) {
  if (!at) return <span className="text-slate-500">—</span>;
  return <time dateTime={new Date(at).toISOString()} title={exactTime(at)} suppressHydrationWarning>{relativeTime(at, now)}</time>;
}

// The path of a delivery's detail page.
export function deliveryHref(d: Pick<DeliveryRowJson, 'endpointId' | 'id'>): string {
  return `/settings/webhooks/${d.endpointId}/deliveries/${d.id}`;
}

// One row per delivery, newest first, in five columns that fit from 1024 px: event (type and id), endpoint (Events
// log only, shortened in the middle), status with the next retry, last response with latency and attempts, and time.
export function DeliveryTable({ rows, now, showEndpoint = false }: { rows: DeliveryRowJson[]; now: number; showEndpoint?: boolean }) {
  return (
    <Table caption="Deliveries">
      <thead>
        <tr>
          <Th>Event</Th>
          {showEndpoint ? <Th>Endpoint</Th> : null}
          <Th>Status</Th>
          <Th>Response</Th>
          <Th>Time</Th>
        </tr>
      </thead>
      <TBody>
        {rows.map((d) => (
          <tr key={d.id} data-delivery-id={d.id} data-status={d.status} className="hover:bg-slate-50">
            <Td>
              <div className="flex flex-wrap items-center gap-x-2">
                <Link href={deliveryHref(d)} className="font-medium text-indigo-700 underline-offset-2 hover:underline">{d.eventType}</Link>
                {d.test ? <Badge>test</Badge> : null}
              </div>
              <Link href={deliveryHref(d)} aria-label={`Delivery of ${d.eventId}`} className="break-all font-mono text-xs text-slate-600 hover:underline">{d.eventId}</Link>
            </Td>
            {showEndpoint ? (
              <Td className="font-mono text-xs">
                <Link href={`/settings/webhooks/${d.endpointId}`} title={d.endpointUrl} className="break-all hover:underline">{middleEllipsis(d.endpointUrl, 40)}</Link>
              </Td>
            ) : null}
            <Td>
              <DeliveryStatusBadge status={d.status} />
              {d.status === 'pending' && d.nextAttemptAt ? (
                <p className="mt-1 whitespace-nowrap text-xs text-slate-600">retry <When at={d.nextAttemptAt} now={now} /></p>
              ) : d.status === 'skipped' ? (
                <p className="mt-1 whitespace-nowrap text-xs text-slate-600" title={skipReasonText(d.skipReason)}>{d.skipReason ?? 'not sent'}</p>
              ) : null}
            </Td>
            <Td className="tabular-nums">
              <span className="whitespace-nowrap">
                {d.lastStatusCode ?? (d.attempts > 0 && d.status !== 'delivering' ? <span className="text-red-700">no response</span> : '—')}
                {d.lastLatencyMs !== null ? <span className="text-slate-600"> · {formatLatency(d.lastLatencyMs)}</span> : null}
              </span>
              <p className="text-xs text-slate-600">{d.attempts} attempt{d.attempts === 1 ? '' : 's'}</p>
            </Td>
            <Td className="whitespace-nowrap"><When at={d.createdAt} now={now} /></Td>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
