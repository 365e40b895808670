import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDb } from '@/test/db';
import type { DbHandle } from '@/db/client';
import { auditLog, deliveries, endpoints, endpointSecrets, eventTypes, events, memberships, organizations } from '@/db/schema';
import { setEnv } from '@/lib/env';
import { ROUTE_LIST } from '@/lib/api/routes';
import { resetRateLimits } from '@/lib/api/rate-limit';
import { call, makeApiOrg } from '@/test/api';
import { createApiKey } from '@/lib/api/keys';
import { updateEventType, setEventTypeDeprecated } from '@/lib/webhooks/event-types';
import { errorOf } from '@/test/factories';
import { platformActor } from './tenants';

let h: DbHandle;
const KEY = 'pk_test_' + 'a'.repeat(40);
const NEXT_KEY = 'pk_test_' + 'b'.repeat(40);
const URL_A = 'https://127.0.0.1:9443/a';

beforeAll(async () => {
  h = await createTestDb();
  setEnv({ WEBHOOK_ALLOW_PRIVATE_TARGETS: true, HOOKRELAY_PLATFORM_KEYS: [KEY], PUBLIC_URL: 'https://hooks.test', API_RATE_LIMIT_PER_MINUTE: 6000 });
});
afterAll(async () => h?.close());
beforeEach(() => resetRateLimits());

const putTenant = (externalId: string, name: string, key = KEY) =>
  call('PUT', `/platform/tenants/${encodeURIComponent(externalId)}`, { key, body: { name } });
const asTenant = (externalId: string) => ({ key: KEY, headers: { 'Hookrelay-Tenant': externalId } });

describe('platform key', () => {
  it('answers 404 on /platform routes while HOOKRELAY_PLATFORM_KEYS is unset', async () => {
    setEnv({ HOOKRELAY_PLATFORM_KEYS: [] });
    try {
      const r = await call('GET', '/platform/tenants', { key: KEY });
      expect(r.status).toBe(404);
      const tenantCall = await call('GET', '/endpoints', asTenant('acme'));
      expect(tenantCall.status).toBe(401);
    } finally {
      setEnv({ HOOKRELAY_PLATFORM_KEYS: [KEY] });
    }
  });

  it('refuses a missing or wrong key with 401, and an API key on /platform routes', async () => {
    expect((await call('GET', '/platform/tenants')).status).toBe(401);
    const wrong = await call('GET', '/platform/tenants', { key: KEY.slice(0, -1) + 'c' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');
    const org = await makeApiOrg(h.db);
    expect((await call('GET', '/platform/tenants', { key: org.adminKey })).status).toBe(401);
    expect((await putTenant('nope', 'Nope', 'x'.repeat(48))).status).toBe(401);
  });

  it('takes both keys during a rotation, and only the new one after it', async () => {
    setEnv({ HOOKRELAY_PLATFORM_KEYS: [KEY, NEXT_KEY] });
    expect((await call('GET', '/platform/tenants', { key: KEY })).status).toBe(200);
    expect((await call('GET', '/platform/tenants', { key: NEXT_KEY })).status).toBe(200);
    setEnv({ HOOKRELAY_PLATFORM_KEYS: [NEXT_KEY] });
    expect((await call('GET', '/platform/tenants', { key: KEY })).status).toBe(401);
    expect((await call('GET', '/platform/tenants', { key: NEXT_KEY })).status).toBe(200);
    setEnv({ HOOKRELAY_PLATFORM_KEYS: [KEY] });
  });

  it('needs Hookrelay-Tenant on tenant routes (400 tenant_required), 404 for an unknown tenant; an API key may not send it (400 tenant_not_allowed)', async () => {
    await putTenant('acme-hdr', 'Acme');
    const missing = await call('GET', '/endpoints', { key: KEY });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('tenant_required');
    expect(missing.body.error.message).toMatch(/Hookrelay-Tenant/);
    const unknown = await call('GET', '/endpoints', asTenant('no-such-tenant'));
    expect(unknown.status).toBe(404);
    expect((await call('GET', '/endpoints', asTenant('acme-hdr'))).status).toBe(200);
    const org = await makeApiOrg(h.db);
    const withKey = await call('GET', '/endpoints', { key: org.adminKey, headers: { 'Hookrelay-Tenant': 'acme-hdr' } });
    expect(withKey.status).toBe(400);
    expect(withKey.body.error.code).toBe('tenant_not_allowed');
  });

  it('acts as "Platform" in the audit log, cannot manage API keys, and is rate-limited per (key, tenant)', async () => {
    await putTenant('acme-rate', 'Acme');
    await putTenant('beta-rate', 'Beta');
    const made = await call('POST', '/endpoints', { ...asTenant('acme-rate'), body: { url: URL_A, eventTypes: ['*'] } });
    expect(made.status).toBe(201);
    const [org] = await h.db.select().from(organizations).where(eq(organizations.externalId, 'acme-rate'));
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.orgId, org!.id));
    expect(audit.map((a) => a.actor)).toEqual(['Platform']);
    expect(await errorOf(createApiKey(platformActor(org!.id, 'pk_x'), { name: 'x', role: 'admin' }))).toMatchObject({ message: expect.stringMatching(/managed by the platform/) });
    setEnv({ API_RATE_LIMIT_PER_MINUTE: 3 });
    resetRateLimits();
    try {
      for (let i = 0; i < 3; i++) expect((await call('GET', '/endpoints', asTenant('acme-rate'))).status).toBe(200);
      const limited = await call('GET', '/endpoints', asTenant('acme-rate'));
      expect(limited.status).toBe(429);
      expect((await call('GET', '/endpoints', asTenant('beta-rate'))).status).toBe(200);
    } finally {
      setEnv({ API_RATE_LIMIT_PER_MINUTE: 6000 });
    }
  });
});

describe('tenants', () => {
  it('PUT creates (201) then updates (200) the same tenant; a new tenant gets the catalog', async () => {
    const first = await putTenant('cus_123', 'Acme Corp');
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ tenant: { id: expect.stringMatching(/^org_/), externalId: 'cus_123', name: 'Acme Corp', createdAt: expect.any(String) } });
    const again = await putTenant('cus_123', 'Acme Corp');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const renamed = await putTenant('cus_123', 'Acme Inc');
    expect(renamed.status).toBe(200);
    expect(renamed.body.tenant).toMatchObject({ id: first.body.tenant.id, name: 'Acme Inc' });
    expect(await h.db.select().from(organizations).where(eq(organizations.externalId, 'cus_123'))).toHaveLength(1);
    const types = await call('GET', '/event-types', asTenant('cus_123'));
    expect(types.body.data.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['compound.created', 'investigation.updated']));
    const got = await call('GET', '/platform/tenants/cus_123', { key: KEY });
    expect(got.body).toEqual(renamed.body);
  });

  it('refuses an externalId outside 1–128 of A–Z a–z 0–9 . _ : - with 422 validation_failed, and a bad body', async () => {
    for (const bad of ['has space', 'x'.repeat(129), 'é', 'a/b']) {
      const r = await putTenant(bad, 'X');
      expect(r.status, bad).toBe(422);
      expect(r.body.error.code).toBe('validation_failed');
    }
    expect((await putTenant('A.b_c:d-9', 'Fine')).status).toBe(201);
    const noName = await call('PUT', '/platform/tenants/ok', { key: KEY, body: {} });
    expect(noName.status).toBe(422);
    expect(noName.body.error.details[0].path).toBe('body.name');
  });

  it('lists tenants in keyset pages', async () => {
    for (const id of ['page-1', 'page-2', 'page-3']) await putTenant(id, id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: Awaited<ReturnType<typeof call>> = await call('GET', '/platform/tenants', { key: KEY, query: { limit: '2', ...(cursor ? { cursor } : {}) } });
      expect(r.status).toBe(200);
      expect(r.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...r.body.data.map((t: { externalId: string }) => t.externalId));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expect.arrayContaining(['page-1', 'page-2', 'page-3']));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('DELETE removes the tenant with all its data (204), then 404', async () => {
    await putTenant('gone', 'Gone');
    const ep = await call('POST', '/endpoints', { ...asTenant('gone'), body: { url: URL_A, eventTypes: ['*'] } });
    const del = await call('DELETE', '/platform/tenants/gone', { key: KEY });
    expect(del.status).toBe(204);
    expect(await h.db.select().from(endpoints).where(eq(endpoints.id, ep.body.endpoint.id))).toHaveLength(0);
    expect((await call('GET', '/platform/tenants/gone', { key: KEY })).status).toBe(404);
    expect((await call('DELETE', '/platform/tenants/gone', { key: KEY })).status).toBe(404);
  });
});

describe('a call for tenant A never reads or changes tenant B', () => {
  it('on every tenant route that takes an id', async () => {
    await putTenant('iso-a', 'A');
    await putTenant('iso-b', 'B');
    const ep = (await call('POST', '/endpoints', { ...asTenant('iso-a'), body: { url: URL_A, eventTypes: ['*'] } })).body.endpoint;
    const test = await call('POST', `/endpoints/${ep.id}/test`, { ...asTenant('iso-a'), body: { type: 'compound.created' } });
    expect(test.status).toBe(202);
    const snapshot = async () => ({
      endpoint: await h.db.select().from(endpoints).where(eq(endpoints.id, ep.id)),
      secrets: await h.db.select().from(endpointSecrets).where(eq(endpointSecrets.endpointId, ep.id)),
      deliveries: await h.db.select({ id: deliveries.id, status: deliveries.status, attempts: deliveries.attempts, next: deliveries.nextAttemptAt }).from(deliveries).where(eq(deliveries.endpointId, ep.id)),
    });
    const before = await snapshot();
    const bodies: Record<string, unknown> = {
      updateEndpoint: { description: 'taken over' }, rotateSecret: { graceSeconds: 0 }, sendTestEvent: { type: 'compound.created' },
      replayFailed: { since: new Date(0).toISOString() },
      replaySkipped: { since: new Date(0).toISOString() },
    };
    const withId = ROUTE_LIST.filter((r) => r.permission && r.path.includes('{id}'));
    expect(withId.length).toBeGreaterThanOrEqual(11);
    for (const r of withId) {
      const id = r.path.startsWith('/deliveries') ? test.body.deliveryId : ep.id;
      const res = await call(r.method, r.path.replace('{id}', id), { ...asTenant('iso-b'), body: bodies[r.operationId] });
      expect(res.status, `${r.method} ${r.path} as tenant B: ${res.text}`).toBe(404);
    }
    expect(await snapshot()).toEqual(before);
    // the lists and publishing in B see and reach nothing of A
    expect((await call('GET', '/endpoints', asTenant('iso-b'))).body.data).toEqual([]);
    const published = await call('POST', '/events', { ...asTenant('iso-b'), body: { type: 'compound.created', data: { id: 'c', name: 'n', category: 'x', efficacy: 0.5 } } });
    expect(published.body.deliveries).toBe(0);
    const [evt] = await h.db.select().from(events).where(eq(events.id, published.body.id));
    const [orgB] = await h.db.select().from(organizations).where(eq(organizations.externalId, 'iso-b'));
    expect(evt!.orgId).toBe(orgB!.id);
    expect((await call('GET', `/endpoints/${ep.id}`, { ...asTenant('iso-a') })).status).toBe(200);
  });
});

describe('platform event types', () => {
  const ticket = {
    description: 'A support ticket was opened.',
    schema: { type: 'object', properties: { ticketId: { type: 'string' } }, required: ['ticketId'] },
    sample: { ticketId: 't_1' },
  };
  const putType = (name: string, body: unknown) => call('PUT', `/platform/event-types/${name}`, { key: KEY, body });

  it('reach present and future tenants as managed, and tenants cannot edit them', async () => {
    await putTenant('types-now', 'Now');
    const signedUp = await makeApiOrg(h.db); // not a tenant: its catalog is its own
    const created = await putType('ticket.opened', ticket);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ eventType: { name: 'ticket.opened', ...ticket, deprecated: false, managed: true } });
    const updated = await putType('ticket.opened', { ...ticket, description: 'Opened.' });
    expect(updated.status).toBe(200);
    await putTenant('types-later', 'Later');
    for (const t of ['types-now', 'types-later']) {
      const list = await call('GET', '/event-types', asTenant(t));
      expect(list.body.data.find((x: { name: string }) => x.name === 'ticket.opened'), t).toMatchObject({ description: 'Opened.', managed: true });
    }
    const [mine] = await h.db.select().from(eventTypes).where(and(eq(eventTypes.orgId, signedUp.orgId), eq(eventTypes.name, 'ticket.opened')));
    expect(mine).toBeUndefined();
    const [orgNow] = await h.db.select().from(organizations).where(eq(organizations.externalId, 'types-now'));
    const [member] = await h.db.insert(memberships).values({ orgId: orgNow!.id, userId: signedUp.actors.owner.id, role: 'admin' }).returning();
    const admin = { orgId: orgNow!.id, id: member!.userId, label: 'admin', role: 'admin' as const, kind: 'user' as const };
    const edit = await errorOf(updateEventType(admin, 'ticket.opened', { description: 'mine now' }));
    expect(edit?.message).toMatch(/managed by the platform/);
    expect((await errorOf(setEventTypeDeprecated(admin, 'ticket.opened', true)))?.message).toMatch(/managed by the platform/);
    const list = await call('GET', '/platform/event-types', { key: KEY });
    expect(list.body.data.map((x: { name: string }) => x.name)).toContain('ticket.opened');
  });

  it('replace a same-named seeded type in place, keeping its subscriptions', async () => {
    await putTenant('seeded', 'Seeded');
    const ep = (await call('POST', '/endpoints', { ...asTenant('seeded'), body: { url: URL_A, eventTypes: ['compound.created'] } })).body.endpoint;
    const [orgS] = await h.db.select().from(organizations).where(eq(organizations.externalId, 'seeded'));
    const [before] = await h.db.select().from(eventTypes).where(and(eq(eventTypes.orgId, orgS!.id), eq(eventTypes.name, 'compound.created')));
    const schema = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
    expect((await putType('compound.created', { description: 'Platform compound.', schema, sample: { id: 'c1' } })).status).toBe(201);
    const [after] = await h.db.select().from(eventTypes).where(and(eq(eventTypes.orgId, orgS!.id), eq(eventTypes.name, 'compound.created')));
    expect(after).toMatchObject({ id: before!.id, managed: true, description: 'Platform compound.', schema });
    const published = await call('POST', '/events', { ...asTenant('seeded'), body: { type: 'compound.created', data: { id: 'c2' } } });
    expect(published.status).toBe(202);
    expect(published.body.deliveries).toBe(1);
    expect((await call('GET', `/endpoints/${ep.id}`, { ...asTenant('seeded') })).body.eventTypes).toEqual(['compound.created']);
  });

  it('refuses a bad name, schema or sample with 422 and changes nothing', async () => {
    expect((await putType('Not A Name', ticket)).status).toBe(422);
    const bad = await putType('ticket.bad', { ...ticket, sample: { nope: 1 } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].path).toBe('body.sample');
    const list = await call('GET', '/platform/event-types', { key: KEY });
    expect(list.body.data.map((x: { name: string }) => x.name)).not.toContain('ticket.bad');
  });
});

describe('branding', () => {
  it('PUT sets the name and colour; a bad colour is 422', async () => {
    const r = await call('PUT', '/platform/branding', { key: KEY, body: { productName: 'Acme Cloud', primaryColor: '#FF0066' } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ branding: { productName: 'Acme Cloud', primaryColor: '#ff0066', logoUrl: null } });
    const bad = await call('PUT', '/platform/branding', { key: KEY, body: { productName: 'X', primaryColor: 'red' } });
    expect(bad.status).toBe(422);
  });
});

describe('portal session links (API)', () => {
  it('POST answers 201 { url, expiresAt } under PUBLIC_URL, five minutes ahead; 404 for an unknown tenant; 422 for a bad role', async () => {
    await putTenant('portal-api', 'Portal');
    const t0 = Date.now();
    const r = await call('POST', '/platform/tenants/portal-api/portal-sessions', { key: KEY, body: { user: { id: 'u1', email: 'ann@acme.test' }, role: 'admin', embed: true } });
    expect(r.status).toBe(201);
    expect(r.body.url).toMatch(/^https:\/\/hooks\.test\/portal\/[A-Za-z0-9_-]{43}$/);
    const exp = Date.parse(r.body.expiresAt);
    expect(exp - t0).toBeGreaterThan(290_000);
    expect(exp - t0).toBeLessThan(310_000);
    const unknown = await call('POST', '/platform/tenants/none/portal-sessions', { key: KEY, body: { user: { id: 'u1' }, role: 'admin' } });
    expect(unknown.status).toBe(404);
    const badRole = await call('POST', '/platform/tenants/portal-api/portal-sessions', { key: KEY, body: { user: { id: 'u1' }, role: 'owner' } });
    expect(badRole.status).toBe(422);
    const ttl = await call('POST', '/platform/tenants/portal-api/portal-sessions', { key: KEY, body: { user: { id: 'u1' }, role: 'viewer', ttlSeconds: 86_401 } });
    expect(ttl.status).toBe(422);
  });
});
