import { requireMember } from '@/lib/auth/require-member';
import { listEndpoints } from '@/lib/webhooks/endpoints';
import { listEventTypes } from '@/lib/webhooks/event-types';
import { DeliveryBrowser } from '@/components/deliveries/delivery-browser';
import { loadDeliveryPage } from '@/lib/webhooks/delivery-page';
import { parseDeliveryQuery } from '@/lib/webhooks/delivery-query';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Events · Hookrelay' };

// The organization's event log: one row per delivery across all endpoints, filterable, newest first.
export default async function EventsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const member = await requireMember();
  const query = parseDeliveryQuery(await searchParams);
  const [initial, types, endpoints] = await Promise.all([
    loadDeliveryPage(member.orgId, query),
    listEventTypes(member.orgId),
    listEndpoints(member.orgId),
  ]);
  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">Events</h1>
        <p className="text-sm text-slate-600">
          Every delivery of this organization&apos;s events, one row per endpoint. Open a row to see its attempts, requests and responses.
        </p>
      </header>
      <DeliveryBrowser key={member.orgId} scope="org" initial={initial} initialQuery={query}
        eventTypes={types.map((t) => t.name)} endpoints={endpoints.map((e) => ({ id: e.id, url: e.url }))} />
    </div>
  );
}
