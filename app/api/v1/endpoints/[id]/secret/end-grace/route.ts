import { apiRoute } from '@/lib/api/route';
import { routes } from '@/lib/api/routes';
import { endGracePeriod } from '@/lib/webhooks/secrets';

export const dynamic = 'force-dynamic';

// Only the current secret signs from now on.
export const POST = apiRoute(routes.endGracePeriod, async ({ actor, params }) => {
  await endGracePeriod(actor, params.id);
});
