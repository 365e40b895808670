import type { PlatformEventType } from '@/db/schema';
import type { Actor } from '@/lib/auth/permissions';
import { setBranding } from '@/lib/platform/branding';
import { listPlatformEventTypes, upsertPlatformEventType } from '@/lib/platform/event-types';
import { createPortalLink, endPortalSessions } from '@/lib/platform/portal';
import { deleteTenant, externalIdSchema, getTenant, listTenants, upsertTenant, type Tenant } from '@/lib/platform/tenants';
import { ApiError } from '@/lib/api/errors';
import { route } from '@/lib/api/pipeline';
import { routes } from '@/lib/api/routes';
import { iso } from '@/lib/api/serialize';

// The handlers of the platform API (/api/v1/platform/*).

const apiTenant = (t: Tenant) => ({ id: t.id, externalId: t.externalId, name: t.name, createdAt: iso(t.createdAt) });
const apiPlatformEventType = (t: PlatformEventType) => ({
  name: t.name, description: t.description, schema: t.schema, sample: t.sample, deprecated: t.deprecated, managed: true as const,
});

// The externalId of the path, or 422 saying what is wrong with it.
function externalIdOf(params: Record<string, string>): string {
  const r = externalIdSchema.safeParse(params.externalId ?? '');
  if (!r.success) {
    const message = r.error.issues[0]!.message;
    throw new ApiError('validation_failed', `The path is not valid: externalId: ${message}.`, [{ path: 'path.externalId', message }]);
  }
  return r.data;
}

// The platform key that authenticate() put on every /platform/* route (their definitions have no permission, so the
// handler's type does not say so); the platform-wide writes check 'platform.write' with it.
function platformKey(actor: Actor | null): Actor {
  if (!actor) throw new Error('a platform route ran without the platform key');
  return actor;
}

export const platformRoutes = {
  upsertTenant: route(routes.upsertTenant, async ({ actor, params, body, setStatus }) => {
    const { tenant, created } = await upsertTenant(platformKey(actor), externalIdOf(params), body);
    if (created) setStatus(201);
    return { tenant: apiTenant(tenant) };
  }),
  listTenants: route(routes.listTenants, async ({ query }) => {
    const page = await listTenants({ limit: query.limit, cursor: query.cursor });
    return { data: page.data.map(apiTenant), nextCursor: page.nextCursor };
  }),
  getTenant: route(routes.getTenant, async ({ params }) => ({ tenant: apiTenant(await getTenant(externalIdOf(params))) })),
  deleteTenant: route(routes.deleteTenant, async ({ actor, params }) => {
    await deleteTenant(platformKey(actor), externalIdOf(params));
  }),
  createPortalSession: route(routes.createPortalSession, async ({ actor, params, body }) => {
    const link = await createPortalLink(platformKey(actor), externalIdOf(params), body);
    return { url: link.url, expiresAt: iso(link.expiresAt) };
  }),
  endPortalSessions: route(routes.endPortalSessions, async ({ actor, params }) => {
    await endPortalSessions(platformKey(actor), externalIdOf(params));
  }),
  upsertPlatformEventType: route(routes.upsertPlatformEventType, async ({ actor, params, body, setStatus }) => {
    const { eventType, created } = await upsertPlatformEventType(platformKey(actor), params.name ?? '', body);
    if (created) setStatus(201);
    return { eventType: apiPlatformEventType(eventType) };
  }),
  listPlatformEventTypes: route(routes.listPlatformEventTypes, async ({ query }) => {
    const page = await listPlatformEventTypes({ limit: query.limit, cursor: query.cursor });
    return { data: page.data.map(apiPlatformEventType), nextCursor: page.nextCursor };
  }),
  setBranding: route(routes.setBranding, async ({ actor, body }) => ({ branding: await setBranding(platformKey(actor), body) })),
};
