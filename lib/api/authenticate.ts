import type { Actor } from '@/lib/auth/permissions';
import { matchPlatformKey, platformApiEnabled } from '@/lib/platform/keys';
import { findTenantOrgId, platformActor } from '@/lib/platform/tenants';
import type { RouteDef } from './define';
import { ApiError } from './errors';
import { authenticateApiKey } from './keys';

export const TENANT_HEADER = 'hookrelay-tenant';

/** Who a request acts as, and the bucket its rate limit counts in. */
export type Authenticated = { actor: Actor; rateKey: string };

const unauthorized = (message: string) =>
  new ApiError('unauthorized', message, undefined, { 'www-authenticate': 'Bearer realm="hookrelay"' });

// Authenticates a request for a route: an API key acts in its own organization; the platform key acts on /platform/*
// routes, and on every other route in the tenant its Hookrelay-Tenant header names (as "Platform", an admin without
// members or API keys). Throws the API error to answer: 400 tenant_required / tenant_not_allowed, 401, or 404.
export async function authenticate(headers: Pick<Headers, 'get'>, def: Pick<RouteDef, 'platform' | 'permission'>): Promise<Authenticated> {
  const bearer = (headers.get('authorization') ?? '').trim().replace(/^Bearer\s+/i, '');
  const tenant = headers.get(TENANT_HEADER);
  if (def.platform) {
    if (!platformApiEnabled()) throw new ApiError('not_found', 'Not found: the platform API is off (set HOOKRELAY_PLATFORM_KEYS to turn it on).');
    const keyId = bearer ? matchPlatformKey(bearer) : null;
    if (!keyId) throw unauthorized('Send a platform key from HOOKRELAY_PLATFORM_KEYS as "Authorization: Bearer …". The key is missing or wrong.');
    return { actor: platformActor('', keyId), rateKey: keyId };
  }
  const keyId = bearer && platformApiEnabled() ? matchPlatformKey(bearer) : null;
  if (keyId) {
    if (tenant === null || tenant.trim() === '') {
      throw new ApiError('tenant_required', 'With the platform key, say which tenant to act in with the header "Hookrelay-Tenant: {externalId}".');
    }
    const orgId = await findTenantOrgId(tenant.trim());
    if (!orgId) throw new ApiError('not_found', `No tenant with externalId "${tenant.trim().slice(0, 128)}"; create it with PUT /api/v1/platform/tenants/{externalId}.`);
    return { actor: platformActor(orgId, keyId), rateKey: `${keyId}:${orgId}` };
  }
  const actor = await authenticateApiKey(bearer);
  if (!actor) throw unauthorized('Send a valid API key as "Authorization: Bearer hr_…". The key is missing, unknown or revoked.');
  if (tenant !== null) {
    throw new ApiError('tenant_not_allowed', 'An API key acts in its own organization only; remove the Hookrelay-Tenant header (it is for the platform key).');
  }
  return { actor, rateKey: actor.id };
}
