import { EndpointOverview } from '@/components/deliveries/endpoint-activity';
import { endpointPage, type EndpointPageProps } from '@/app/(dashboard)/settings/webhooks/[endpointId]/load-endpoint';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Webhook · Hookrelay' };

// An endpoint's Overview tab: stats and the most recent deliveries.
export default async function EndpointOverviewPage({ params }: EndpointPageProps) {
  const { member, endpoint } = await endpointPage(params);
  return <EndpointOverview orgId={member.orgId} endpoint={endpoint} role={member.role} />;
}
