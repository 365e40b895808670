import { Badge } from '@/components/ui/card';
import type { EndpointView } from '@/lib/webhooks/endpoints';
import { LocalTime } from '@/components/ui/local-time';

type StatusFields = Pick<EndpointView, 'status' | 'enabled' | 'disabledReason' | 'disabledAt' | 'consecutiveFailures' | 'pausedAt'>;

// Enabled, failing, paused or disabled, and why it was disabled.
export function EndpointStatusBadge({ endpoint: e, detailed = false }: { endpoint: StatusFields; detailed?: boolean }) {
  if (!e.enabled) {
    return (
      <div className="space-y-0.5">
        <Badge tone="red">Disabled</Badge>
        {e.disabledReason ? <p className="text-xs text-slate-600">{e.disabledReason}</p> : null}
        {detailed && e.disabledAt ? <p className="text-xs text-slate-500">Since <LocalTime at={e.disabledAt} /></p> : null}
      </div>
    );
  }
  if (e.pausedAt) {
    return (
      <div className="space-y-0.5">
        <Badge tone="slate">Paused</Badge>
        <p className="text-xs text-slate-600">No attempts; deliveries wait until Resume.</p>
        {detailed ? <p className="text-xs text-slate-500">Since <LocalTime at={e.pausedAt} /></p> : null}
      </div>
    );
  }
  if (e.status === 'failing') {
    return (
      <div className="space-y-0.5">
        <Badge tone="amber">Enabled · failing</Badge>
        <p className="text-xs text-slate-600">{e.consecutiveFailures} failed attempt{e.consecutiveFailures === 1 ? '' : 's'} in a row</p>
      </div>
    );
  }
  return <Badge tone="green">Enabled</Badge>;
}
