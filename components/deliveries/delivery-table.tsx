import Link from 'next/link';
import { Badge } from '@/components/ui/card';
import { Table, TBody, Td, Th } from '@/components/ui/table';
import { exactTime, formatLatency, relativeTime, statusTone } from './format';
import type { DeliveryRowJson } from './query';

// A delivery's status as a coloured badge.
export function DeliveryStatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTone(status)}>{status}</Badge>;
}

// A time as "2 min ago", exact on hover.
export function When({ at, now }: { at: string | Date | null; now: number }) {
  if (!at) return <span className="text-slate-400">—</span>;
  return <time dateTime={new Date(at).toISOString()} title={exactTime(at)} suppressHydrationWarning>{relativeTime(at, now)}</time>;
}

// The path of a delivery's detail page.
export function deliveryHref(d: Pick<DeliveryRowJson, 'endpointId' | 'id'>): string {
  return `/settings/webhooks/${d.endpointId}/deliveries/${d.id}`;
}

// One row per delivery, newest first: type, event id, status, attempts, last response, latency, time and next retry.
export function DeliveryTable({ rows, now, showEndpoint = false }: { rows: DeliveryRowJson[]; now: number; showEndpoint?: boolean }) {
  return (
    <Table caption="Deliveries">
      <thead>
        <tr>
          <Th>Event type</Th>
          <Th>Event id</Th>
          {showEndpoint ? <Th>Endpoint</Th> : null}
          <Th>Status</Th>
          <Th className="text-right">Attempts</Th>
          <Th>Response</Th>
          <Th className="text-right">Latency</Th>
          <Th>Time</Th>
          <Th>Next retry</Th>
        </tr>
      </thead>
      <TBody>
        {rows.map((d) => (
          <tr key={d.id} data-delivery-id={d.id} data-status={d.status} className="hover:bg-slate-50">
            <Td>
              <Link href={deliveryHref(d)} className="font-medium text-indigo-700 underline-offset-2 hover:underline">{d.eventType}</Link>
              {d.test ? <span className="ml-2"><Badge>test</Badge></span> : null}
            </Td>
            <Td className="font-mono text-xs">
              <Link href={deliveryHref(d)} aria-label={`Delivery of ${d.eventId}`} className="hover:underline">{d.eventId}</Link>
            </Td>
            {showEndpoint ? (
              <Td className="max-w-56 truncate font-mono text-xs">
                <Link href={`/settings/webhooks/${d.endpointId}`} title={d.endpointUrl} className="hover:underline">{d.endpointUrl}</Link>
              </Td>
            ) : null}
            <Td><DeliveryStatusBadge status={d.status} /></Td>
            <Td className="text-right tabular-nums">{d.attempts}</Td>
            <Td className="tabular-nums">{d.lastStatusCode ?? (d.attempts > 0 && d.status !== 'delivering' ? <span className="text-red-700">no response</span> : '—')}</Td>
            <Td className="text-right tabular-nums">{formatLatency(d.lastLatencyMs)}</Td>
            <Td><When at={d.createdAt} now={now} /></Td>
            <Td>{d.status === 'pending' && d.nextAttemptAt ? <When at={d.nextAttemptAt} now={now} /> : <span className="text-slate-400">—</span>}</Td>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
