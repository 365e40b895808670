import { cache } from 'react';
import { notFound } from 'next/navigation';
import { NotFoundError } from '@/lib/errors';
import { getEndpoint, type EndpointView } from '@/lib/webhooks/endpoints';
import { requireMember, type Member } from '@/lib/auth/require-member';

// The endpoint of the URL in this organization, once per request (the tabs' layout and page share it); 404 otherwise.
export const loadEndpoint = cache(async (orgId: string, id: string): Promise<EndpointView> => {
  try {
    return await getEndpoint(orgId, id);
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
});

export type EndpointPageProps = { params: Promise<{ endpointId: string }> };

// What every endpoint tab starts from: the signed-in member and the endpoint of the URL in their organization.
export async function endpointPage(params: EndpointPageProps['params']): Promise<{ member: Member; endpoint: EndpointView }> {
  const { endpointId } = await params;
  const member = await requireMember();
  return { member, endpoint: await loadEndpoint(member.orgId, endpointId) };
}
