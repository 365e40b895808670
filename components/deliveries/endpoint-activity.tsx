import { can } from '@/lib/auth/permissions';
import { getSnippets } from '@/lib/signing/snippets';
import { listEventTypes } from '@/lib/webhooks/event-types';
import type { Role } from '@/db/schema';
import { Card } from '@/components/ui/card';
import { CheckEndpointPanel } from './check-endpoint-panel';
import { DeliveryBrowser } from './delivery-browser';
import { loadDeliveryPage } from './load';
import { ReceiverCode } from './receiver-code';
import { ReplayFailed } from './replay-failed';
import { SendTestForm } from './send-test-form';
import { StatsCard } from './stats-card';

type EndpointLike = { id: string; url: string; format: 'standard' | 'axifi' | 'axle'; eventTypes: string[]; enabled: boolean };

// The delivery side of an endpoint's page: stats, deliveries, Send test event, Replay failed, Check endpoint and
// the receiver code for its format. Viewers see everything but the buttons.
export async function EndpointActivity({ orgId, endpoint, role }: { orgId: string; endpoint: EndpointLike; role: Role }) {
  const canTest = can(role, 'events.test');
  const [initial, catalog] = await Promise.all([
    loadDeliveryPage(orgId, { endpointId: endpoint.id, prev: [] }),
    listEventTypes(orgId),
  ]);
  const all = endpoint.eventTypes.includes('*');
  const testTypes = catalog
    .filter((t) => all || endpoint.eventTypes.includes(t.name))
    .map((t) => ({ name: t.name, description: t.description, sample: JSON.stringify(t.sample, null, 2) }));
  const snippets = getSnippets(endpoint.format);

  return (
    <>
      <Card title="Deliveries">
        <DeliveryBrowser scope="endpoint" initial={initial} initialQuery={{ endpointId: endpoint.id, prev: [] }}
          eventTypes={catalog.map((t) => t.name)} />
      </Card>

      {canTest ? (
        <Card title="Send test event">
          {!endpoint.enabled ? (
            <p className="text-sm text-slate-600">This endpoint is disabled; enable it to send a test event.</p>
          ) : testTypes.length === 0 ? (
            <p className="text-sm text-slate-600">This endpoint subscribes to no event type in the catalog; subscribe it to one to send a test event.</p>
          ) : (
            <SendTestForm endpointId={endpoint.id} types={testTypes} />
          )}
        </Card>
      ) : (
        <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">
          Sending test events, replaying deliveries and checking the endpoint need the developer role or above; you are a {role}.
        </p>
      )}

      <Card title="Success rate and latency">
        <StatsCard orgId={orgId} endpointId={endpoint.id} />
      </Card>

      {canTest ? (
        <Card title="Replay failed deliveries">
          <ReplayFailed endpointId={endpoint.id} />
        </Card>
      ) : null}

      {canTest ? (
        <Card title="Check endpoint">
          <CheckEndpointPanel endpointId={endpoint.id} format={endpoint.format} />
        </Card>
      ) : null}

      <Card title="Receiver code">
        <p className="mb-3 text-sm text-slate-600">
          Verify each request in your receiver before trusting it: this code checks the signature{endpoint.format === 'standard' ? ' and the timestamp' : ''} for the {endpoint.format} format.
        </p>
        <ReceiverCode snippets={snippets} />
      </Card>
    </>
  );
}
