import { requireMember } from '@/lib/auth/require-member';
import { EndpointDeliveries } from '@/components/deliveries/endpoint-activity';
import { loadEndpoint } from '../../load-endpoint';
import { replayFailedAction } from '../../deliveries/actions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Deliveries · Webhook · Hookrelay' };

// An endpoint's Deliveries tab: the filtered delivery list and Replay failed.
export default async function EndpointDeliveriesPage({ params }: { params: Promise<{ endpointId: string }> }) {
  const { endpointId } = await params;
  const member = await requireMember();
  const endpoint = await loadEndpoint(member.orgId, endpointId);
  return <EndpointDeliveries orgId={member.orgId} endpoint={endpoint} role={member.role} actions={{ replayFailed: replayFailedAction }} />;
}
