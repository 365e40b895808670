import { requireMember } from '@/lib/auth/require-member';
import { EndpointTesting } from '@/components/deliveries/endpoint-activity';
import { loadEndpoint } from '../../load-endpoint';
import { checkEndpointAction, sendTestEventAction } from '../../deliveries/actions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Testing · Webhook · Hookrelay' };

// An endpoint's Testing tab: Send test event and Check endpoint.
export default async function EndpointTestingPage({ params }: { params: Promise<{ endpointId: string }> }) {
  const { endpointId } = await params;
  const member = await requireMember();
  const endpoint = await loadEndpoint(member.orgId, endpointId);
  return <EndpointTesting orgId={member.orgId} endpoint={endpoint} role={member.role} actions={{ sendTest: sendTestEventAction, checkEndpoint: checkEndpointAction }} />;
}
