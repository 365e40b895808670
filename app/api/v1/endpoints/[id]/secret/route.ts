import { apiRoute } from '@/lib/api/route';
import { routes } from '@/lib/api/routes';
import { apiSecrets } from '@/lib/api/serialize';
import { revealSecrets } from '@/lib/webhooks/secrets';

export const dynamic = 'force-dynamic';

// The endpoint's live signing secrets, newest first (audited).
export const GET = apiRoute(routes.getSecrets, async ({ actor, params }) => apiSecrets(await revealSecrets(actor, params.id)));
