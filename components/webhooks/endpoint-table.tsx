import Link from 'next/link';
import type { EndpointView } from '@/lib/webhooks/endpoints';
import { Table, TBody, Td, Th } from '@/components/ui/table';
import { Badge } from '@/components/ui/card';
import { EndpointStatusBadge } from './endpoint-status';
import { LocalTime } from '@/components/ui/local-time';

// The endpoints of Settings → Webhooks: URL and description, events, format, status, 24 h success rate and created time.
export function EndpointTable({ endpoints, successRates }: { endpoints: EndpointView[]; successRates?: Map<string, number | null> }) {
  return (
    <Table caption="Webhook endpoints">
      <thead>
        <tr><Th>Endpoint</Th><Th>Events</Th><Th>Format</Th><Th>Status</Th><Th>Success (24 h)</Th><Th>Created</Th></tr>
      </thead>
      <TBody>
        {endpoints.map((e) => (
          <tr key={e.id}>
            <Td className="max-w-sm">
              <Link href={`/settings/webhooks/${e.id}`} className="break-all font-mono text-sm text-indigo-700 underline">{e.url}</Link>
              {e.description ? <p className="mt-0.5 text-xs text-slate-600">{e.description}</p> : null}
            </Td>
            <Td>
              <div className="flex flex-wrap gap-1">
                {e.eventTypes.map((t) => <Badge key={t} tone="blue">{t === '*' ? 'All events' : t}</Badge>)}
              </div>
            </Td>
            <Td className="font-mono text-xs">{e.format}</Td>
            <Td><EndpointStatusBadge endpoint={e} /></Td>
            <Td className="text-sm tabular-nums" data-testid="success-rate">{formatRate(successRates?.get(e.id))}</Td>
            <Td className="whitespace-nowrap text-xs text-slate-600"><LocalTime at={e.createdAt} /></Td>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}

function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(rate === 1 ? 0 : 1)}%`;
}
