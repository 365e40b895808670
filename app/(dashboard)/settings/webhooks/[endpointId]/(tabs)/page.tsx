import { requireMember } from '@/lib/auth/require-member';
import { EndpointOverview } from '@/components/deliveries/endpoint-activity';
import { loadEndpoint } from '../load-endpoint';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Webhook · Hookrelay' };

// An endpoint's Overview tab: stats and the most recent deliveries.
export default async function EndpointOverviewPage({ params }: { params: Promise<{ endpointId: string }> }) {
  const { endpointId } = await params;
  const member = await requireMember();
  const endpoint = await loadEndpoint(member.orgId, endpointId);
  return <EndpointOverview orgId={member.orgId} endpoint={endpoint} role={member.role} />;
}
