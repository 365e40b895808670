import Link from 'next/link';
import { requireMember } from '@/lib/auth/require-member';
import { can } from '@/lib/auth/permissions';
import { listEndpoints } from '@/lib/webhooks/endpoints';
import { endpointSuccessRates } from '@/lib/webhooks/stats';
import { buttonClass } from '@/components/ui/button-class';
import { EndpointTable } from '@/components/webhooks/endpoint-table';
import { EndpointsHealthBanner } from '@/components/webhooks/endpoint-health-banner';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Webhooks · Hookrelay' };

// Settings → Webhooks: the organization's endpoints, or the empty state.
export default async function WebhooksPage() {
  const member = await requireMember();
  const endpoints = await listEndpoints(member.orgId);
  const successRates = await endpointSuccessRates(member.orgId, endpoints.map((e) => e.id));
  const canWrite = can(member.role, 'webhooks.write');
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <header className="flex items-center justify-between">
        <div>
          <h1 className="text-2xl font-semibold">Webhooks</h1>
          <p className="text-sm text-slate-600">Endpoints that receive signed events from this organization.</p>
        </div>
        {canWrite ? <Link href="/settings/webhooks/new" className={buttonClass()}>Create Webhook</Link> : null}
      </header>
      {!canWrite ? (
        <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">
          You are a {member.role} in this organization: you can see its webhooks but not change them.
        </p>
      ) : null}
      <EndpointsHealthBanner endpoints={endpoints} />
      {endpoints.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-surface p-12 text-center">
          {/* Not a heading: "Webhooks" stays the only heading that names the page. */}
          <p className="text-lg font-medium">No webhooks yet</p>
          <p className="mx-auto mt-1 max-w-md text-sm text-slate-600">
            Create a webhook to have events sent to your HTTPS endpoint, signed so your receiver can verify them.
          </p>
          {canWrite ? <Link href="/settings/webhooks/new" className={buttonClass('primary', 'mt-4')}>Create Webhook</Link> : null}
        </div>
      ) : (
        <EndpointTable endpoints={endpoints} successRates={successRates} />
      )}
    </div>
  );
}
