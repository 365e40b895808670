import Link from 'next/link';
import { can } from '@/lib/auth/permissions';
import { EndpointStatusBadge } from '@/components/webhooks/endpoint-status';
import { EndpointEnableToggle } from '@/components/webhooks/endpoint-enable-toggle';
import { EndpointPauseToggle } from '@/components/webhooks/endpoint-pause-toggle';
import { EndpointTabs } from '@/components/webhooks/endpoint-tabs';
import { EndpointHealthBanner } from '@/components/webhooks/endpoint-health-banner';
import { LocalTime } from '@/components/ui/local-time';
import { setEndpointEnabledAction, setEndpointPausedAction } from '@/app/(dashboard)/settings/webhooks/actions';
import { endpointPage, type EndpointPageProps } from '@/app/(dashboard)/settings/webhooks/[endpointId]/load-endpoint';

export const dynamic = 'force-dynamic';

// An endpoint's header (URL, status, Pause/Resume, Disable/Enable) above its tabs: Overview, Deliveries, Testing, Settings, Receiver code.
export default async function EndpointLayout({ params, children }: EndpointPageProps & { children: React.ReactNode }) {
  const { member, endpoint } = await endpointPage(params);
  const canWrite = can(member.role, 'webhooks.write');
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <header className="space-y-2">
        <Link href="/settings/webhooks" className="text-sm text-indigo-700 underline">← Webhooks</Link>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0 space-y-1">
            <h1 className="break-all font-mono text-xl font-semibold">{endpoint.url}</h1>
            {endpoint.description ? <p className="text-sm text-slate-600">{endpoint.description}</p> : null}
            <div className="flex flex-wrap items-start gap-3">
              <EndpointStatusBadge endpoint={endpoint} detailed />
              <span className="text-xs text-slate-500">Created <LocalTime at={endpoint.createdAt} /> · <span className="font-mono">{endpoint.id}</span></span>
            </div>
          </div>
          {canWrite ? (
            <div className="flex flex-wrap items-center gap-2">
              <EndpointPauseToggle endpointId={endpoint.id} paused={endpoint.pausedAt !== null} action={setEndpointPausedAction} />
              <EndpointEnableToggle endpointId={endpoint.id} enabled={endpoint.enabled} action={setEndpointEnabledAction} />
            </div>
          ) : null}
        </div>
        {!canWrite ? <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">You are a {member.role}: this page is read-only for you.</p> : null}
        <EndpointHealthBanner endpoint={endpoint} />
      </header>
      <EndpointTabs endpointId={endpoint.id} />
      {children}
    </div>
  );
}
