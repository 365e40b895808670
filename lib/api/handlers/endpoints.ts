import { createEndpoint, deleteEndpoint, getEndpoint, listEndpoints, revealEndpointHeaders, setEndpointPaused, updateEndpoint } from '@/lib/webhooks/endpoints';
import { listEventTypes } from '@/lib/webhooks/event-types';
import { endGracePeriod, revealSecrets, rotateSecret } from '@/lib/webhooks/secrets';
import { route } from '@/lib/api/pipeline';
import { routes } from '@/lib/api/routes';
import { apiEndpoint, apiEventType, apiSecrets, iso } from '@/lib/api/serialize';

// Handlers of the Endpoints, Secrets and Event types operations.
export const endpointRoutes = {
  // The organization's event-type catalog.
  listEventTypes: route(routes.listEventTypes, async ({ actor }) => ({
    data: (await listEventTypes(actor.orgId)).map(apiEventType),
    nextCursor: null,
  })),

  // Every endpoint of the key's organization.
  listEndpoints: route(routes.listEndpoints, async ({ actor }) => ({
    data: (await listEndpoints(actor.orgId)).map(apiEndpoint),
    nextCursor: null,
  })),

  // Creates an endpoint; its signing secret is in this answer only.
  createEndpoint: route(routes.createEndpoint, async ({ actor, body }) => {
    const { endpoint, secret } = await createEndpoint(actor, body);
    return { endpoint: apiEndpoint(endpoint), secret };
  }),

  getEndpoint: route(routes.getEndpoint, async ({ actor, params }) => apiEndpoint(await getEndpoint(actor.orgId, params.id!))),

  // Changes only the fields sent.
  updateEndpoint: route(routes.updateEndpoint, async ({ actor, params, body }) => apiEndpoint(await updateEndpoint(actor, params.id!, body))),

  // No attempts until resumed; deliveries wait (audited).
  pauseEndpoint: route(routes.pauseEndpoint, async ({ actor, params }) => apiEndpoint(await setEndpointPaused(actor, params.id!, true))),

  // Waiting deliveries go out now (audited).
  resumeEndpoint: route(routes.resumeEndpoint, async ({ actor, params }) => apiEndpoint(await setEndpointPaused(actor, params.id!, false))),

  deleteEndpoint: route(routes.deleteEndpoint, async ({ actor, params }) => {
    await deleteEndpoint(actor, params.id!);
  }),

  // The endpoint's custom header values in full (audited).
  getEndpointHeaders: route(routes.getEndpointHeaders, async ({ actor, params }) => ({ headers: await revealEndpointHeaders(actor, params.id!) })),

  // The endpoint's live signing secrets, newest first (audited).
  getSecrets: route(routes.getSecrets, async ({ actor, params }) => apiSecrets(await revealSecrets(actor, params.id!))),

  // A new signing secret; the previous one signs on for graceSeconds.
  rotateSecret: route(routes.rotateSecret, async ({ actor, params, body }) => {
    const { secret, previousGraceEndsAt } = await rotateSecret(actor, params.id!, body.graceSeconds);
    return { secret, previousGraceEndsAt: iso(previousGraceEndsAt) };
  }),

  // Only the current secret signs from now on.
  endGracePeriod: route(routes.endGracePeriod, async ({ actor, params }) => {
    await endGracePeriod(actor, params.id!);
  }),
};
