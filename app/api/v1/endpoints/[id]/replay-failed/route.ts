import { apiRoute } from '@/lib/api/route';
import { routes } from '@/lib/api/routes';
import { replayFailed } from '@/lib/webhooks/deliveries';

export const dynamic = 'force-dynamic';

// Replays (or, with dryRun, counts) the endpoint's failed deliveries since a time.
export const POST = apiRoute(routes.replayFailed, async ({ actor, params, body }) =>
  replayFailed(actor, params.id, body.since, { dryRun: body.dryRun }),
);
