import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb } from '@/test/db';
import type { DbHandle } from '@/db/client';
import { auditLog, memberships, portalTokens, users } from '@/db/schema';
import { setEnv } from '@/lib/env';
import { assertCan } from '@/lib/auth/permissions';
import { createEndpoint, getEndpoint } from '@/lib/webhooks/endpoints';
import { errorOf } from '@/test/factories';
import { createPortalLink, endPortalSessions, getPortalSession, redeemPortalLink } from './portal';
import { deleteTenant, platformActor, upsertTenant } from './tenants';

let h: DbHandle;
let a: string;
let b: string;
const tokenOf = (url: string) => url.split('/portal/')[1]!;
const platform = platformActor('', 'key_test_platform');

beforeAll(async () => {
  h = await createTestDb();
  setEnv({ WEBHOOK_ALLOW_PRIVATE_TARGETS: true, PUBLIC_URL: 'https://hooks.test' });
  a = (await upsertTenant(platform, 'tenant-a', { name: 'A' })).tenant.id;
  b = (await upsertTenant(platform, 'tenant-b', { name: 'B' })).tenant.id;
});
afterAll(async () => h?.close());

describe('portal links', () => {
  it('sign in once, to their tenant only, as that platform user with that role', async () => {
    const link = await createPortalLink(platform, 'tenant-a', { user: { id: 'user-42', email: 'ann@acme.test' }, role: 'developer', ttlSeconds: 600, returnUrl: 'https://app.acme.test/settings', embed: true });
    const redeemed = await redeemPortalLink(tokenOf(link.url));
    expect(redeemed).toMatchObject({ orgId: a, embed: true });
    expect(redeemed!.expiresAt.getTime() - Date.now()).toBeGreaterThan(590_000);
    const visit = await getPortalSession(redeemed!.secret);
    expect(visit).toMatchObject({ orgId: a, role: 'developer', kind: 'portal', label: 'ann@acme.test (via platform)', returnUrl: 'https://app.acme.test/settings', embed: true, orgName: 'A' });
    // single use
    expect(await redeemPortalLink(tokenOf(link.url))).toBeNull();
    // the user record belongs to tenant A only
    const rows = await h.db.select().from(memberships).where(eq(memberships.userId, redeemed!.userId));
    expect(rows.map((m) => [m.orgId, m.role])).toEqual([[a, 'developer']]);
    // the same platform user id in tenant B is another user
    const other = await redeemPortalLink(tokenOf((await createPortalLink(platform, 'tenant-b', { user: { id: 'user-42' }, role: 'viewer' })).url));
    expect(other!.orgId).toBe(b);
    expect(other!.userId).not.toBe(redeemed!.userId);
    // and again in A: the same user, with the new role
    const again = await redeemPortalLink(tokenOf((await createPortalLink(platform, 'tenant-a', { user: { id: 'user-42' }, role: 'admin' })).url));
    expect(again!.userId).toBe(redeemed!.userId);
    expect((await getPortalSession(again!.secret))!.role).toBe('admin');
  });

  it('refuse tampered, forged and expired tokens', async () => {
    const link = await createPortalLink(platform, 'tenant-a', { user: { id: 'user-7' }, role: 'viewer' });
    const token = tokenOf(link.url);
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(await redeemPortalLink(flipped)).toBeNull();
    expect(await redeemPortalLink('forged')).toBeNull();
    expect(await redeemPortalLink('')).toBeNull();
    expect(await getPortalSession(token)).toBeNull(); // a link is not a session
    const expired = await createPortalLink(platform, 'tenant-a', { user: { id: 'user-8' }, role: 'viewer' });
    await h.db.update(portalTokens).set({ expiresAt: new Date(Date.now() - 1000) });
    expect(await redeemPortalLink(tokenOf(expired.url))).toBeNull();
    expect(await redeemPortalLink(token)).toBeNull();
  });

  it("a tenant's portal user cannot reach another tenant's endpoints, and cannot manage members or API keys even as admin", async () => {
    const owner = { orgId: a, id: 'platform-test', label: 'Platform', role: 'admin' as const, kind: 'platform' as const };
    const { endpoint } = await createEndpoint(owner, { url: 'https://127.0.0.1:9443/a', eventTypes: ['*'] });
    const inB = await getPortalSession((await redeemPortalLink(tokenOf((await createPortalLink(platform, 'tenant-b', { user: { id: 'snoop' }, role: 'admin' })).url)))!.secret);
    expect((await errorOf(getEndpoint(inB!.orgId, endpoint.id)))?.message).toBe('Endpoint not found.');
    expect(() => assertCan(inB!, 'members.write')).toThrow(/managed by the platform/);
    expect(() => assertCan(inB!, 'api-keys.write')).toThrow(/managed by the platform/);
    expect(() => assertCan(inB!, 'endpoints.delete')).not.toThrow();
    expect(() => assertCan(inB!, 'event-types.write')).not.toThrow();
    const inA = await getPortalSession((await redeemPortalLink(tokenOf((await createPortalLink(platform, 'tenant-a', { user: { id: 'dev-1', email: 'dev@acme.test' }, role: 'admin' })).url)))!.secret);
    await createEndpoint(inA!, { url: 'https://127.0.0.1:9443/b', eventTypes: ['*'] });
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.orgId, a));
    expect(audit.map((e) => e.actor)).toContain('dev@acme.test (via platform)');
  });

  it('end at once when the platform ends them or deletes the tenant; portal users cannot sign in with a password', async () => {
    const one = await redeemPortalLink(tokenOf((await createPortalLink(platform, 'tenant-a', { user: { id: 'u-end' }, role: 'viewer' })).url));
    const unused = await createPortalLink(platform, 'tenant-a', { user: { id: 'u-end' }, role: 'viewer' });
    expect(await getPortalSession(one!.secret)).not.toBeNull();
    await endPortalSessions(platform, 'tenant-a');
    expect(await getPortalSession(one!.secret)).toBeNull();
    expect(await redeemPortalLink(tokenOf(unused.url))).toBeNull();
    const two = await redeemPortalLink(tokenOf((await createPortalLink(platform, 'tenant-b', { user: { id: 'u-del' }, role: 'viewer' })).url));
    await deleteTenant(platform, 'tenant-b');
    expect(await getPortalSession(two!.secret)).toBeNull();
    expect(await h.db.select().from(users).where(eq(users.id, two!.userId))).toHaveLength(0);
    const [u] = await h.db.select().from(users).where(eq(users.id, one!.userId));
    expect(u!.email).toMatch(/@portal\.invalid$/);
    expect(u!.passwordHash).toBe('!');
  });
});

describe('HOOKRELAY_SIGNUP=off', () => {
  it('closes public sign-up with a message, creating nothing', async () => {
    const { signUpUser } = await import('@/lib/auth/users');
    setEnv({ HOOKRELAY_SIGNUP: 'off' });
    try {
      expect((await errorOf(signUpUser({ email: 'new@acme.test', password: 'long enough pw' })))?.message).toMatch(/Sign-up is closed/);
      expect(await h.db.select().from(users).where(eq(users.email, 'new@acme.test'))).toHaveLength(0);
    } finally {
      setEnv({ HOOKRELAY_SIGNUP: 'on' });
    }
    expect(await signUpUser({ email: 'new@acme.test', password: 'long enough pw' })).toMatchObject({ userId: expect.any(String) });
  });
});

describe('GET /portal/{token}', () => {
  it('sets hookrelay_portal (Secure; SameSite=None under https) and lands on Settings → Webhooks; a used, forged or ended link is the same 403 page', async () => {
    const { handlePortalLink } = await import('./portal-http');
    await upsertTenant(platform, 'tenant-http', { name: 'H' });
    const link = await createPortalLink(platform, 'tenant-http', { user: { id: 'u-http' }, role: 'viewer', ttlSeconds: 600 });
    const r = await handlePortalLink(tokenOf(link.url));
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/settings/webhooks');
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^hookrelay_portal=[ep]\.[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Max-Age=(599|600); Secure; SameSite=None; Partitioned$/);
    const pages = [await handlePortalLink(tokenOf(link.url)), await handlePortalLink('forged-token'), await handlePortalLink('ended')];
    const texts = await Promise.all(pages.map((p) => p.text()));
    for (const [i, p] of pages.entries()) {
      expect(p.status).toBe(403);
      expect(texts[i]).toContain('no longer valid');
      expect(texts[i]).toBe(texts[0]);
      expect(p.headers.get('set-cookie')).toMatch(/^hookrelay_portal=; .*Max-Age=0/);
    }
    setEnv({ PUBLIC_URL: 'http://127.0.0.1:3000' });
    try {
      const plain = await handlePortalLink(tokenOf((await createPortalLink(platform, 'tenant-http', { user: { id: 'u-http' }, role: 'viewer' })).url));
      expect(plain.headers.get('set-cookie')).toMatch(/SameSite=Lax$/);
      expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/);
    } finally {
      setEnv({ PUBLIC_URL: 'https://hooks.test' });
    }
  });
});
