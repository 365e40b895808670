import { apiRoute } from '@/lib/api/route';
import { routes } from '@/lib/api/routes';
import { iso } from '@/lib/api/serialize';
import { rotateSecret } from '@/lib/webhooks/secrets';

export const dynamic = 'force-dynamic';

// A new signing secret; the previous one signs on for graceSeconds.
export const POST = apiRoute(routes.rotateSecret, async ({ actor, params, body }) => {
  const { secret, previousGraceEndsAt } = await rotateSecret(actor, params.id, body.graceSeconds);
  return { secret, previousGraceEndsAt: iso(previousGraceEndsAt) };
});
