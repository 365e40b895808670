import { cache } from 'react';
import { notFound } from 'next/navigation';
import { NotFoundError } from '@/lib/errors';
import { getEndpoint, type EndpointView } from '@/lib/webhooks/endpoints';

// The endpoint of the URL in this organization, once per request (the tabs' layout and page share it); 404 otherwise.
export const loadEndpoint = cache(async (orgId: string, id: string): Promise<EndpointView> => {
  try {
    return await getEndpoint(orgId, id);
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
});
