import { can } from '@/lib/auth/permissions';
import { listEventTypes } from '@/lib/webhooks/event-types';
import { listSecretsMasked, vendorHeaderCutover } from '@/lib/webhooks/secrets';
import { Card } from '@/components/ui/card';
import { EndpointForm } from '@/components/webhooks/endpoint-form';
import { DeleteEndpoint } from '@/components/webhooks/delete-endpoint';
import { SecretPanel, type Cutover } from '@/components/webhooks/secret-panel';
import { exactTime } from '@/components/ui/time';
import { durationUntil, secretRows, vendorHeader } from '@/components/webhooks/format';
import { deleteEndpointAction, revealHeadersAction, updateEndpointAction } from '@/app/(dashboard)/settings/webhooks/actions';
import { endGracePeriodAction, revealSecretsAction, rotateSecretAction } from '@/app/(dashboard)/settings/webhooks/secret-actions';
import { endpointPage, type EndpointPageProps } from '@/app/(dashboard)/settings/webhooks/[endpointId]/load-endpoint';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Settings · Webhook · Hookrelay' };

// An endpoint's Settings tab: the form, the signing secret and the danger zone.
export default async function EndpointSettingsPage({ params }: EndpointPageProps) {
  const { member, endpoint } = await endpointPage(params);
  const [secrets, cutover, types] = await Promise.all([
    listSecretsMasked(member.orgId, endpoint.id),
    vendorHeaderCutover(member.orgId, endpoint.id),
    listEventTypes(member.orgId),
  ]);
  const now = Date.now();
  const rows = secretRows(secrets, now);
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
    <>
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

      {canDelete ? (
        <Card title="Danger zone" className="border-red-200">
          <div className="flex flex-wrap items-center justify-between gap-4">
            <p className="text-sm text-slate-600">Delete this webhook with its signing secrets and delivery history.</p>
            <DeleteEndpoint endpointId={endpoint.id} url={endpoint.url} action={deleteEndpointAction} />
          </div>
        </Card>
      ) : null}
    </>
  );
}
