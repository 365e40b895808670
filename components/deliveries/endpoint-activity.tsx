import Link from 'next/link';
import { can } from '@/lib/auth/permissions';
import { getSnippets } from '@/lib/signing/snippets';
import { listEventTypes } from '@/lib/webhooks/event-types';
import type { Role } from '@/db/schema';
import { Card } from '@/components/ui/card';
import type { FormAction } from '@/components/ui/use-action-form';
import { CheckEndpointPanel } from './check-endpoint-panel';
import { DeliveryBrowser } from './delivery-browser';
import { loadDeliveryPage } from '@/lib/webhooks/delivery-page';
import { ReceiverCode } from './receiver-code';
import { RefreshOnDeliveries } from './refresh-on-deliveries';
import { ReplayFailed } from './replay-failed';
import { SendTestForm } from './send-test-form';
import { StatsCard } from './stats-card';

type EndpointLike = { id: string; url: string; format: 'standard' | 'axifi' | 'axle'; eventTypes: string[]; enabled: boolean };
type Props = { orgId: string; endpoint: EndpointLike; role: Role };
// The tabs' server actions, passed in by the pages (components import no actions).
type Actions = { replayFailed: FormAction; sendTest: FormAction; checkEndpoint: FormAction };

const RECENT = 10;

function NeedsDeveloper({ role }: { role: Role }) {
  return (
    <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">
      Sending test events, replaying deliveries and checking the endpoint need the developer role or above; you are a {role}.
    </p>
  );
}

// The Overview tab: success rate and latency, and the most recent deliveries; the stats refresh with the live list.
export async function EndpointOverview({ orgId, endpoint }: Props) {
  const initial = await loadDeliveryPage(orgId, { endpointId: endpoint.id, prev: [] }, RECENT);
  return (
    <>
      <RefreshOnDeliveries />
      <Card title="Success rate and latency">
        <StatsCard orgId={orgId} endpointId={endpoint.id} />
      </Card>
      <Card title="Recent deliveries" actions={<Link href={`/settings/webhooks/${endpoint.id}/deliveries`} className="text-sm text-indigo-700 underline">All deliveries</Link>}>
        <DeliveryBrowser scope="endpoint" compact initial={initial} initialQuery={{ endpointId: endpoint.id, prev: [] }} eventTypes={[]} limit={RECENT} />
      </Card>
    </>
  );
}

// The Deliveries tab: every delivery with filters and pages, Replay failed and Replay skipped (developer+).
export async function EndpointDeliveries({ orgId, endpoint, role, actions }: Props & { actions: Pick<Actions, 'replayFailed'> }) {
  const [initial, catalog] = await Promise.all([
    loadDeliveryPage(orgId, { endpointId: endpoint.id, prev: [] }),
    listEventTypes(orgId),
  ]);
  return (
    <>
      <Card title="Deliveries">
        <DeliveryBrowser scope="endpoint" initial={initial} initialQuery={{ endpointId: endpoint.id, prev: [] }}
          eventTypes={catalog.map((t) => t.name)} />
      </Card>
      {can(role, 'events.test') ? (
        <>
          <Card title="Replay failed deliveries">
            <ReplayFailed action={actions.replayFailed} endpointId={endpoint.id} />
          </Card>
          <Card title="Replay skipped deliveries">
            <p className="mb-3 text-sm text-slate-600">
              Events published while this endpoint was disabled are recorded as <em>skipped</em> (not sent).
              {endpoint.enabled ? ' Send them now:' : ' Enable the endpoint first, then send them from here.'}
            </p>
            <ReplayFailed action={actions.replayFailed} endpointId={endpoint.id} kind="skipped" />
          </Card>
        </>
      ) : <NeedsDeveloper role={role} />}
    </>
  );
}

// The Testing tab: Send test event and Check endpoint (developer+).
export async function EndpointTesting({ orgId, endpoint, role, actions }: Props & { actions: Pick<Actions, 'sendTest' | 'checkEndpoint'> }) {
  if (!can(role, 'events.test')) return <NeedsDeveloper role={role} />;
  const catalog = await listEventTypes(orgId);
  const all = endpoint.eventTypes.includes('*');
  const testTypes = catalog
    .filter((t) => all || endpoint.eventTypes.includes(t.name))
    .map((t) => ({ name: t.name, description: t.description, sample: JSON.stringify(t.sample, null, 2) }));
  return (
    <>
      <Card title="Send test event">
        {!endpoint.enabled ? (
          <p className="text-sm text-slate-600">This endpoint is disabled; enable it to send a test event.</p>
        ) : testTypes.length === 0 ? (
          <p className="text-sm text-slate-600">This endpoint subscribes to no event type in the catalog; subscribe it to one to send a test event.</p>
        ) : (
          <SendTestForm action={actions.sendTest} endpointId={endpoint.id} types={testTypes} />
        )}
      </Card>
      <Card title="Check endpoint">
        <CheckEndpointPanel action={actions.checkEndpoint} endpointId={endpoint.id} format={endpoint.format} />
      </Card>
    </>
  );
}

// The Receiver code tab: the verification code for the endpoint's format, per language.
export function EndpointReceiverCode({ endpoint }: { endpoint: EndpointLike }) {
  return (
    <Card title="Receiver code">
      <p className="mb-3 text-sm text-slate-600">
        Verify each request in your receiver before trusting it: this code checks the signature{endpoint.format === 'standard' ? ' and the timestamp' : ''} for the {endpoint.format} format.
      </p>
      <ReceiverCode snippets={getSnippets(endpoint.format)} />
    </Card>
  );
}
