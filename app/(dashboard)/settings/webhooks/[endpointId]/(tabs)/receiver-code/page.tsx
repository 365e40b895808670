import { EndpointReceiverCode } from '@/components/deliveries/endpoint-activity';
import { endpointPage, type EndpointPageProps } from '@/app/(dashboard)/settings/webhooks/[endpointId]/load-endpoint';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Receiver code · Webhook · Hookrelay' };

// An endpoint's Receiver code tab.
export default async function EndpointReceiverCodePage({ params }: EndpointPageProps) {
  const { endpoint } = await endpointPage(params);
  return <EndpointReceiverCode endpoint={endpoint} />;
}
