import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '@/test/suite';
import { apiKeys, auditLog } from '@/db/schema';
import { makeOrg, errorOf } from '@/test/factories';
import { ForbiddenError } from '@/lib/auth/permissions';
import { authenticateApiKey, createApiKey, hashApiKey, listApiKeys, revokeApiKey } from './keys';
import { forgetCachedKeys } from './key-cache';

const h = useTestDb();
let org: Awaited<ReturnType<typeof makeOrg>>;

beforeAll(async () => {
  org = await makeOrg(h.db);
});

describe('API keys', () => {
  it('are hr_ + 32 base64url characters, stored only as their sha-256 with a 7-character prefix, and audited', async () => {
    const { key, apiKey } = await createApiKey(org.actors.admin, { name: '  Billing service ', role: 'developer' });
    expect(key).toMatch(/^hr_[A-Za-z0-9_-]{32}$/);
    expect(apiKey).toMatchObject({ name: 'Billing service', role: 'developer', prefix: key.slice(0, 7), lastUsedAt: null, revokedAt: null });
    const [row] = await h.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(row.hash).toBe(hashApiKey(key));
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(key);
    expect(row.createdBy).toBe(org.actors.admin.id);
    const audit = await h.db.select().from(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.target, apiKey.id)));
    expect(audit.map((a) => a.action)).toEqual(['api_key.created']);
    expect(JSON.stringify(audit)).not.toContain(key);
  });

  it('are listed with name, prefix, role, creator and times, newest first, never with the hash', async () => {
    const { apiKey } = await createApiKey(org.actors.owner, { name: 'Deploy bot', role: 'admin' });
    const list = await listApiKeys(org.orgId);
    expect(list[0]).toMatchObject({ id: apiKey.id, name: 'Deploy bot', role: 'admin', createdBy: org.actors.owner.label });
    expect(list[0]).not.toHaveProperty('hash');
    expect(await listApiKeys('org_other')).toEqual([]);
  });

  it('need admin, never outrank their creator, and need a name', async () => {
    expect(await errorOf(createApiKey(org.actors.developer, { name: 'x', role: 'developer' }))).toBeInstanceOf(ForbiddenError);
    expect(await errorOf(createApiKey(org.actors.viewer, { name: 'x', role: 'developer' }))).toBeInstanceOf(ForbiddenError);
    const owner = await errorOf(createApiKey(org.actors.admin, { name: 'x', role: 'owner' as 'admin' }));
    expect(owner?.fieldErrors?.role).toEqual(['Choose developer or admin.']);
    const unnamed = await errorOf(createApiKey(org.actors.admin, { name: '   ', role: 'admin' }));
    expect(unnamed?.fieldErrors?.name?.[0]).toMatch(/Give the key a name/);
    const asKey = { ...org.actors.admin, kind: 'api_key' as const };
    expect(await errorOf(createApiKey(asKey, { name: 'x', role: 'developer' }))).toBeInstanceOf(ForbiddenError);
  });

  it('authenticate as their organization and role, from a header value or the bare key; junk and unknown keys do not', async () => {
    const { key, apiKey } = await createApiKey(org.actors.admin, { name: 'CI', role: 'admin' });
    expect(await authenticateApiKey(`Bearer ${key}`)).toEqual({ orgId: org.orgId, id: apiKey.id, label: 'API key CI', role: 'admin', kind: 'api_key' });
    expect(await authenticateApiKey(key)).toMatchObject({ id: apiKey.id });
    for (const junk of [null, '', 'Bearer', `Basic ${key}`, `${key}x`, 'hr_' + 'A'.repeat(32), key.replace('hr_', 'sk_')]) {
      expect(await authenticateApiKey(junk)).toBeNull();
    }
  });

  it('record the time of use at most once a minute', async () => {
    const { key, apiKey } = await createApiKey(org.actors.admin, { name: 'Clock', role: 'developer' });
    const lastUsed = async () => (await h.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id)))[0].lastUsedAt;
    await authenticateApiKey(key);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await authenticateApiKey(key);
    expect((await lastUsed())?.getTime()).toBe(first!.getTime());
    const old = new Date(Date.now() - 61_000);
    await h.db.update(apiKeys).set({ lastUsedAt: old }).where(eq(apiKeys.id, apiKey.id));
    forgetCachedKeys(); // as another process, or this one after a restart, would see it
    await authenticateApiKey(key);
    expect((await lastUsed())!.getTime()).toBeGreaterThan(old.getTime() + 60_000);
  });

  it('stop working once revoked, leave the list, are audited, and only in their own organization', async () => {
    const { key, apiKey } = await createApiKey(org.actors.admin, { name: 'Old', role: 'developer' });
    const other = await makeOrg(h.db, ['admin']);
    expect((await errorOf(revokeApiKey(other.actors.admin, apiKey.id)))?.message).toBe('API key not found.');
    expect(await authenticateApiKey(key)).not.toBeNull();
    expect(await errorOf(revokeApiKey(org.actors.developer, apiKey.id))).toBeInstanceOf(ForbiddenError);
    await revokeApiKey(org.actors.admin, apiKey.id);
    expect(await authenticateApiKey(key)).toBeNull();
    expect((await listApiKeys(org.orgId)).map((k) => k.id)).not.toContain(apiKey.id);
    expect((await errorOf(revokeApiKey(org.actors.admin, apiKey.id)))?.message).toBe('API key not found.');
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.target, apiKey.id));
    expect(audit.map((a) => a.action).sort()).toEqual(['api_key.created', 'api_key.revoked']);
  });
});
