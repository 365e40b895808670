import Link from 'next/link';
import type { EndpointView } from '@/lib/webhooks/endpoints';
import { LocalTime } from '@/components/ui/local-time';
import { disableDeadline } from '@/lib/delivery/disable-policy';

type Health = Pick<EndpointView, 'id' | 'url' | 'status' | 'enabled' | 'disabledReason' | 'consecutiveFailures' | 'failingSince'>;

function disableAt(e: Health): Date | null {
  return e.failingSince ? disableDeadline(e.failingSince) : null;
}

// What is wrong with one failing or disabled endpoint, and what to do about it. The reason itself is in the status
// badge beside it, so it is not repeated here.
function Advice({ e }: { e: Health }) {
  if (!e.enabled) {
    return (
      <>
        This endpoint is disabled, so nothing is sent to it. Fix the receiver, then press Enable: deliveries waiting for it
        go out again, and failed ones can be replayed from its Deliveries tab.
      </>
    );
  }
  const at = disableAt(e);
  return (
    <>
      This endpoint is failing ({e.consecutiveFailures} failed attempt{e.consecutiveFailures === 1 ? '' : 's'} in a row
      {e.failingSince ? <> since <LocalTime at={e.failingSince} /></> : null}). Fix the receiver so it answers 2xx
      {at ? <>; unless a delivery succeeds, Hookrelay disables it on <LocalTime at={at} /></> : null}. The page of a failed
      delivery says what went wrong.
    </>
  );
}

// The banner on an endpoint's page when it is failing or disabled (nothing otherwise).
export function EndpointHealthBanner({ endpoint: e }: { endpoint: Health }) {
  if (e.enabled && e.status !== 'failing') return null;
  return (
    <div role="alert" data-testid="endpoint-health-banner"
      className={`rounded-md px-4 py-3 text-sm ${e.enabled ? 'bg-amber-50 text-amber-900' : 'bg-red-50 text-red-900'}`}>
      <Advice e={e} />
    </div>
  );
}

// Endpoint URLs are all https: the banner names each one without the scheme, so the full URL stays the list's own.
const withoutScheme = (url: string) => url.replace(/^https:\/\//, '');

// The banner above the webhooks list naming every failing or disabled endpoint, each with what to do.
export function EndpointsHealthBanner({ endpoints }: { endpoints: Health[] }) {
  const bad = endpoints.filter((e) => !e.enabled || e.status === 'failing');
  if (bad.length === 0) return null;
  const disabled = bad.some((e) => !e.enabled);
  return (
    <div role="alert" data-testid="endpoints-health-banner"
      className={`space-y-2 rounded-md px-4 py-3 text-sm ${disabled ? 'bg-red-50 text-red-900' : 'bg-amber-50 text-amber-900'}`}>
      <p className="font-medium">{bad.length === 1 ? '1 endpoint needs' : `${bad.length} endpoints need`} attention</p>
      <ul className="space-y-1">
        {bad.slice(0, 5).map((e) => (
          <li key={e.id}>
            <Link href={`/settings/webhooks/${e.id}`} aria-label={`Open ${e.url}`} className="break-all font-mono text-xs underline">{withoutScheme(e.url)}</Link> — <Advice e={e} />
          </li>
        ))}
      </ul>
      {bad.length > 5 ? <p className="text-xs">and {bad.length - 5} more in the list below.</p> : null}
      <p className="text-xs">Get told by email or an operational webhook next time: <Link href="/settings/alerts" className="underline">Settings → Alerts</Link>.</p>
    </div>
  );
}
