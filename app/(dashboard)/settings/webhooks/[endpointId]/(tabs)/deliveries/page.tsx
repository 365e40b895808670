import { EndpointDeliveries } from '@/components/deliveries/endpoint-activity';
import { endpointPage, type EndpointPageProps } from '@/app/(dashboard)/settings/webhooks/[endpointId]/load-endpoint';
import { replayFailedAction } from '@/app/(dashboard)/settings/webhooks/[endpointId]/deliveries/actions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Deliveries · Webhook · Hookrelay' };

// An endpoint's Deliveries tab: the filtered delivery list and Replay failed.
export default async function EndpointDeliveriesPage({ params }: EndpointPageProps) {
  const { member, endpoint } = await endpointPage(params);
  return <EndpointDeliveries orgId={member.orgId} endpoint={endpoint} role={member.role} actions={{ replayFailed: replayFailedAction }} />;
}
