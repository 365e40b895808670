import { EndpointTesting } from '@/components/deliveries/endpoint-activity';
import { endpointPage, type EndpointPageProps } from '@/app/(dashboard)/settings/webhooks/[endpointId]/load-endpoint';
import { checkEndpointAction, sendTestEventAction } from '@/app/(dashboard)/settings/webhooks/[endpointId]/deliveries/actions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Testing · Webhook · Hookrelay' };

// An endpoint's Testing tab: Send test event and Check endpoint.
export default async function EndpointTestingPage({ params }: EndpointPageProps) {
  const { member, endpoint } = await endpointPage(params);
  return <EndpointTesting orgId={member.orgId} endpoint={endpoint} role={member.role} actions={{ sendTest: sendTestEventAction, checkEndpoint: checkEndpointAction }} />;
}
