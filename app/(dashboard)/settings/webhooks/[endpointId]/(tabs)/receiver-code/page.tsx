import { requireMember } from '@/lib/auth/require-member';
import { EndpointReceiverCode } from '@/components/deliveries/endpoint-activity';
import { loadEndpoint } from '../../load-endpoint';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Receiver code · Webhook · Hookrelay' };

// An endpoint's Receiver code tab.
export default async function EndpointReceiverCodePage({ params }: { params: Promise<{ endpointId: string }> }) {
  const { endpointId } = await params;
  const member = await requireMember();
  const endpoint = await loadEndpoint(member.orgId, endpointId);
  return <EndpointReceiverCode endpoint={endpoint} />;
}
