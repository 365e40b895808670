import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireMember } from '@/lib/auth/require-member';
import { can } from '@/lib/auth/permissions';
import { NotFoundError } from '@/lib/errors';
import { getEndpoint, type EndpointView } from '@/lib/webhooks/endpoints';
import { listEventTypes } from '@/lib/webhooks/event-types';
import { listSecretsMasked, vendorHeaderCutover } from '@/lib/webhooks/secrets';
import { Card } from '@/components/ui/card';
import { EndpointForm } from '@/components/webhooks/endpoint-form';
import { EndpointStatusBadge } from '@/components/webhooks/endpoint-status';
import { EndpointEnableToggle } from '@/components/webhooks/endpoint-enable-toggle';
import { DeleteEndpoint } from '@/components/webhooks/delete-endpoint';
import { EndpointActivity } from '@/components/deliveries/endpoint-activity';
import { SecretPanel, type Cutover, type SecretRow } from '@/components/webhooks/secret-panel';
import { durationUntil, exactTime, formatTime, vendorHeader } from '@/components/webhooks/format';
import { deleteEndpointAction, revealHeadersAction, setEndpointEnabledAction, updateEndpointAction } from '../actions';
import { endGracePeriodAction, revealSecretsAction, rotateSecretAction } from '../secret-actions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Webhook · Hookrelay' };

async function load(orgId: string, id: string): Promise<EndpointView> {
  try {
    return await getEndpoint(orgId, id);
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
}

// An endpoint's page: its settings, status, signing secret and danger zone; delivery panels follow below.
export default async function EndpointPage({ params }: { params: Promise<{ endpointId: string }> }) {
  const { endpointId } = await params;
  const member = await requireMember('viewer');
  const endpoint = await load(member.orgId, endpointId);
  const [secrets, cutover, types] = await Promise.all([
    listSecretsMasked(member.orgId, endpoint.id),
    vendorHeaderCutover(member.orgId, endpoint.id),
    listEventTypes(member.orgId),
  ]);
  const now = Date.now();
  const rows: SecretRow[] = secrets.map((s) => ({
    id: s.id,
    masked: s.masked,
    createdAt: s.createdAt.toISOString(),
    expiresAt: s.expiresAt?.toISOString() ?? null,
    expiresIn: s.expiresAt ? durationUntil(s.expiresAt, now) : null,
    expiresExact: s.expiresAt ? exactTime(s.expiresAt) : null,
  }));
  const header = vendorHeader(endpoint.format);
  const cut: Cutover | null = header
    ? {
        header,
        signsWith: cutover.signsWith,
        until: cutover.until?.toISOString() ?? null,
        untilIn: cutover.until ? durationUntil(cutover.until, now) : null,
        untilExact: cutover.until ? exactTime(cutover.until) : null,
      }
    : null;
  const canWrite = can(member.role, 'webhooks.write');
  const canDelete = can(member.role, 'endpoints.delete');
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <header className="space-y-2">
        <Link href="/settings/webhooks" className="text-sm text-indigo-700 underline">← Webhooks</Link>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0 space-y-1">
            <h1 className="break-all font-mono text-xl font-semibold">{endpoint.url}</h1>
            {endpoint.description ? <p className="text-sm text-slate-600">{endpoint.description}</p> : null}
            <div className="flex items-start gap-3">
              <EndpointStatusBadge endpoint={endpoint} detailed />
              <span className="text-xs text-slate-500">Created {formatTime(endpoint.createdAt)} · <span className="font-mono">{endpoint.id}</span></span>
            </div>
          </div>
          {canWrite ? <EndpointEnableToggle endpointId={endpoint.id} enabled={endpoint.enabled} action={setEndpointEnabledAction} /> : null}
        </div>
        {!canWrite ? <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">You are a {member.role}: this page is read-only for you.</p> : null}
      </header>

      <Card title="Settings">
        <EndpointForm action={updateEndpointAction} endpointId={endpoint.id} submitLabel="Save changes" readOnly={!canWrite}
          revealHeaders={can(member.role, 'secrets.reveal') ? revealHeadersAction.bind(null, endpoint.id) : undefined}
          catalog={types.map((t) => ({ name: t.name, description: t.description, deprecated: t.deprecated }))}
          initial={{
            url: endpoint.url,
            description: endpoint.description,
            eventTypes: endpoint.eventTypes,
            format: endpoint.format,
            headers: endpoint.headers,
            rateLimitPerSecond: endpoint.rateLimitPerSecond,
          }} />
      </Card>

      <Card title="Signing secret">
        <SecretPanel endpointId={endpoint.id} secrets={rows} cutover={cut}
          canReveal={can(member.role, 'secrets.reveal')} canRotate={can(member.role, 'secrets.rotate')}
          actions={{ reveal: revealSecretsAction, rotate: rotateSecretAction, endGrace: endGracePeriodAction }} />
      </Card>

      <EndpointActivity orgId={member.orgId} endpoint={endpoint} role={member.role} />

      {canDelete ? (
        <Card title="Danger zone" className="border-red-200">
          <div className="flex flex-wrap items-center justify-between gap-4">
            <p className="text-sm text-slate-600">Delete this webhook with its signing secrets and delivery history.</p>
            <DeleteEndpoint endpointId={endpoint.id} url={endpoint.url} action={deleteEndpointAction} />
          </div>
        </Card>
      ) : null}
    </div>
  );
}
