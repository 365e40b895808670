import { apiRoute } from '@/lib/api/route';
import { routes } from '@/lib/api/routes';
import { revealEndpointHeaders } from '@/lib/webhooks/endpoints';

export const dynamic = 'force-dynamic';

// The endpoint's custom header values in full (audited).
export const GET = apiRoute(routes.getEndpointHeaders, async ({ actor, params }) => ({ headers: await revealEndpointHeaders(actor, params.id) }));
