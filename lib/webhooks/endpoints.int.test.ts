import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDb } from '@/test/db';
import type { DbHandle } from '@/db/client';
import { endpoints, endpointSecrets, eventTypes } from '@/db/schema';
import { createEndpoint, deleteEndpoint, getEndpoint, listEndpoints, setEndpointEnabled, updateEndpoint } from './endpoints';
import { listAuditLog } from '@/lib/audit/log';
import { NotFoundError, UserError } from '@/lib/errors';
import { ForbiddenError } from '@/lib/auth/permissions';
import { errorOf, makeOrg, publicResolver } from '@/test/factories';

let h: DbHandle;
let org: Awaited<ReturnType<typeof makeOrg>>;
const opts = { resolve: publicResolver };
const base = { url: 'https://hooks.example.com/webhooks', eventTypes: ['compound.created'] };

beforeAll(async () => {
  h = await createTestDb();
  org = await makeOrg(h.db);
});
afterAll(async () => h?.close());

const count = async () => (await h.db.select().from(endpoints).where(eq(endpoints.orgId, org.orgId))).length;

describe('endpoints', () => {
  it('creates an endpoint with defaults, a sealed first secret and an audit row', async () => {
    const { endpoint, secret } = await createEndpoint(org.actors.developer, { ...base, description: ' Orders ' }, opts);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(endpoint).toMatchObject({
      url: base.url,
      description: 'Orders',
      format: 'standard',
      eventTypes: ['compound.created'],
      headers: {},
      rateLimitPerSecond: null,
      enabled: true,
      status: 'active',
      deliveries24h: { succeeded: 0, failed: 0, pending: 0 },
    });
    expect(endpoint).not.toHaveProperty('orgId');
    const secrets = await h.db.select().from(endpointSecrets).where(eq(endpointSecrets.endpointId, endpoint.id));
    expect(secrets).toHaveLength(1);
    expect(secrets[0]!.sealed).not.toContain(secret.slice(6));
    expect(secrets[0]!.expiresAt).toBeNull();
    const { data } = await listAuditLog(org.orgId);
    expect(data[0]).toMatchObject({ action: 'endpoint.created', target: endpoint.id, actor: org.actors.developer.label, actorId: org.actors.developer.id });
    expect(JSON.stringify(data[0]!.detail)).not.toContain('whsec_');
    expect(await getEndpoint(org.orgId, endpoint.id)).toEqual({ ...endpoint, updatedAt: expect.any(Date) });
    expect((await listEndpoints(org.orgId)).map((e) => e.id)).toContain(endpoint.id);
  });

  it('refuses a URL the guard refuses as a field error, creating nothing', async () => {
    const before = await count();
    const auditBefore = (await listAuditLog(org.orgId)).data.length;
    const metadata = await errorOf(createEndpoint(org.actors.owner, base, { resolve: async () => ['169.254.169.254'] }));
    expect(metadata).toBeInstanceOf(UserError);
    expect(metadata!.fieldErrors!.url![0]).toMatch(/169\.254\.169\.254|link-local|metadata/i);
    const http = await errorOf(createEndpoint(org.actors.owner, { ...base, url: 'http://hooks.example.com/' }, opts));
    expect(http!.fieldErrors!.url![0]).toMatch(/https/);
    expect(await count()).toBe(before);
    expect((await listAuditLog(org.orgId)).data.length).toBe(auditBefore);
  });

  it('checks event types against the catalog: unknown and deprecated ones are refused for new subscriptions', async () => {
    const unknown = await errorOf(createEndpoint(org.actors.owner, { ...base, eventTypes: ['nope.created'] }, opts));
    expect(unknown!.fieldErrors!.eventTypes![0]).toMatch(/no event type "nope.created"/);
    const empty = await errorOf(createEndpoint(org.actors.owner, { ...base, eventTypes: [] }, opts));
    expect(empty!.fieldErrors!.eventTypes).toEqual(['Choose at least one event type (or all of them).']);

    const { endpoint } = await createEndpoint(org.actors.owner, { ...base, eventTypes: ['compound.created', 'compound.created'] }, opts);
    expect(endpoint.eventTypes).toEqual(['compound.created']);
    await h.db.update(eventTypes).set({ deprecated: true }).where(and(eq(eventTypes.orgId, org.orgId), eq(eventTypes.name, 'compound.created')));
    try {
      const before = await count();
      const refused = await errorOf(createEndpoint(org.actors.owner, base, opts));
      expect(refused!.fieldErrors!.eventTypes![0]).toMatch(/"compound.created" is deprecated/);
      expect(await count()).toBe(before);
      // An existing subscription to it may stay while other fields change; adding it elsewhere may not.
      const kept = await updateEndpoint(org.actors.owner, endpoint.id, { eventTypes: ['compound.created', 'investigation.updated'] }, opts);
      expect(kept.eventTypes).toEqual(['compound.created', 'investigation.updated']);
      const other = await createEndpoint(org.actors.owner, { ...base, eventTypes: ['investigation.updated'] }, opts);
      const added = await errorOf(updateEndpoint(org.actors.owner, other.endpoint.id, { eventTypes: ['investigation.updated', 'compound.created'] }, opts));
      expect(added!.fieldErrors!.eventTypes![0]).toMatch(/deprecated/);
      // '*' takes every type, present and future, and stands alone.
      const all = await createEndpoint(org.actors.owner, { ...base, eventTypes: ['investigation.updated', '*'] }, opts);
      expect(all.endpoint.eventTypes).toEqual(['*']);
    } finally {
      await h.db.update(eventTypes).set({ deprecated: false }).where(eq(eventTypes.orgId, org.orgId));
    }
  });

  it('validates custom headers: tokens, no reserved or hop-by-hop names, no line breaks, at most 20', async () => {
    const fieldOf = async (headers: Record<string, string>) =>
      (await errorOf(createEndpoint(org.actors.owner, { ...base, headers }, opts)))?.fieldErrors?.headers;
    expect(await fieldOf({ 'Bad Name': 'x' })).toEqual([expect.stringMatching(/not a valid header name/)]);
    for (const name of ['Webhook-Signature', 'content-type', 'Host', 'X-Signature', 'Transfer-Encoding', 'connection', 'TE']) {
      expect(await fieldOf({ [name]: 'x' })).toEqual([expect.stringMatching(/set by Hookrelay \(or is hop-by-hop\)/)]);
    }
    expect(await fieldOf({ 'X-Api-Key': 'a\r\nInjected: yes' })).toEqual([expect.stringMatching(/line break/)]);
    expect(await fieldOf({ 'X-A': '1', 'x-a': '2' })).toEqual([expect.stringMatching(/appears twice/)]);
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v']));
    expect(await fieldOf(many)).toEqual(['At most 20 custom headers are allowed; this has 21.']);

    const headers = { 'X-Api-Key': 'k1', Authorization: 'Bearer t', 'X-Tenant': 'acme' };
    const { endpoint } = await createEndpoint(org.actors.owner, { ...base, headers }, opts);
    expect(Object.keys(endpoint.headers)).toEqual(['X-Api-Key', 'Authorization', 'X-Tenant']);
    const [audit] = (await listAuditLog(org.orgId, { limit: 1 })).data;
    expect(audit!.detail).toMatchObject({ headers: ['X-Api-Key', 'Authorization', 'X-Tenant'] });
    expect(JSON.stringify(audit!.detail)).not.toContain('Bearer t');
  });

  it('updates only what changed, re-checking the URL, and refuses an invalid patch without changing anything', async () => {
    const { endpoint } = await createEndpoint(org.actors.developer, base, opts);
    const updated = await updateEndpoint(
      org.actors.developer,
      endpoint.id,
      { url: 'https://other.example.com/hook', format: 'axle', rateLimitPerSecond: 50, description: 'v2' },
      opts,
    );
    expect(updated).toMatchObject({ url: 'https://other.example.com/hook', format: 'axle', rateLimitPerSecond: 50, description: 'v2', eventTypes: ['compound.created'] });
    const [audit] = (await listAuditLog(org.orgId, { limit: 1 })).data;
    expect(audit).toMatchObject({ action: 'endpoint.updated', target: endpoint.id, detail: { changed: ['url', 'description', 'format', 'rateLimitPerSecond'] } });

    const [before] = await h.db.select().from(endpoints).where(eq(endpoints.id, endpoint.id));
    const bad = await errorOf(updateEndpoint(org.actors.developer, endpoint.id, { url: 'https://x.example.com', rateLimitPerSecond: 0 }, { resolve: async () => ['10.0.0.1', '169.254.169.254'] }));
    expect(bad!.fieldErrors!.rateLimitPerSecond).toBeDefined();
    const guard = await errorOf(updateEndpoint(org.actors.developer, endpoint.id, { url: 'https://x.example.com' }, { resolve: async () => ['169.254.169.254'] }));
    expect(guard!.fieldErrors!.url).toHaveLength(1);
    const [after] = await h.db.select().from(endpoints).where(eq(endpoints.id, endpoint.id));
    expect(after).toEqual(before);
    expect(await errorOf(updateEndpoint(org.actors.developer, 'ep_missing', { description: 'x' }, opts))).toBeInstanceOf(NotFoundError);
  });

  it('disables and re-enables, clearing the reason and the failure run', async () => {
    const { endpoint } = await createEndpoint(org.actors.developer, base, opts);
    const off = await setEndpointEnabled(org.actors.developer, endpoint.id, false);
    expect(off).toMatchObject({ enabled: false, status: 'disabled', disabledReason: `Disabled by ${org.actors.developer.label}.` });
    expect(off.disabledAt).toBeInstanceOf(Date);
    // The worker disables after 5 days of failures; enabling starts over.
    await h.db
      .update(endpoints)
      .set({ disabledReason: 'No successful delivery for 5 days.', consecutiveFailures: 40, failingSince: new Date(Date.now() - 6 * 86_400_000) })
      .where(eq(endpoints.id, endpoint.id));
    const on = await setEndpointEnabled(org.actors.developer, endpoint.id, true);
    expect(on).toMatchObject({ enabled: true, status: 'active', disabledReason: null, disabledAt: null, consecutiveFailures: 0, failingSince: null });
    const [audit] = (await listAuditLog(org.orgId, { limit: 1 })).data;
    expect(audit).toMatchObject({ action: 'endpoint.enabled', detail: { previousReason: 'No successful delivery for 5 days.' } });
  });

  it('deletes an endpoint with its secrets; a developer may not', async () => {
    const { endpoint } = await createEndpoint(org.actors.developer, base, opts);
    expect(await errorOf(deleteEndpoint(org.actors.developer, endpoint.id))).toBeInstanceOf(ForbiddenError);
    await deleteEndpoint(org.actors.admin, endpoint.id);
    expect(await errorOf(getEndpoint(org.orgId, endpoint.id))).toBeInstanceOf(NotFoundError);
    expect(await h.db.select().from(endpointSecrets).where(eq(endpointSecrets.endpointId, endpoint.id))).toEqual([]);
    expect((await listAuditLog(org.orgId, { limit: 1 })).data[0]).toMatchObject({ action: 'endpoint.deleted', target: endpoint.id, detail: { url: base.url } });
    expect(await errorOf(deleteEndpoint(org.actors.admin, endpoint.id))).toBeInstanceOf(NotFoundError);
  });

  it('pages the audit log newest first with a keyset cursor', async () => {
    const all = (await listAuditLog(org.orgId, { limit: 200 })).data;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listAuditLog>> = await listAuditLog(org.orgId, { cursor, limit: 3 });
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));
    expect([...seen].sort().reverse()).toEqual(seen);
  });
});
