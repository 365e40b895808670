import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDb } from '@/test/db';
import type { DbHandle } from '@/db/client';
import { auditLog, endpoints, endpointSecrets } from '@/db/schema';
import { setEnv } from '@/lib/env';
import { call, makeApiOrg } from '@/test/api';

let h: DbHandle;
let a: Awaited<ReturnType<typeof makeApiOrg>>;
const URL_A = 'https://127.0.0.1:9443/hooks';

beforeAll(async () => {
  h = await createTestDb();
  setEnv({ WEBHOOK_ALLOW_PRIVATE_TARGETS: true });
  a = await makeApiOrg(h.db);
});
afterAll(async () => h?.close());

const create = (body: unknown, key = a.adminKey) => call('POST', '/endpoints', { key, body });

describe('endpoints over the API', () => {
  it('POST /endpoints creates one with defaults and answers 201 with its secret once', async () => {
    const r = await create({ url: URL_A, eventTypes: ['compound.created'] }, a.developerKey);
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    expect(r.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(r.body.endpoint).toEqual({
      id: expect.stringMatching(/^ep_/), url: URL_A, description: '', eventTypes: ['compound.created'], format: 'standard',
      headers: {}, rateLimitPerSecond: null, enabled: true, disabledReason: null, createdAt: expect.any(String),
      paused: false, pausedAt: null, status: 'active',
    });
    const [audit] = await h.db.select().from(auditLog).where(and(eq(auditLog.target, r.body.endpoint.id), eq(auditLog.action, 'endpoint.created')));
    expect(audit.actor).toBe('API key Developer key');
  });

  it('GET /endpoints lists them as { data, nextCursor } and GET /endpoints/{id} answers one', async () => {
    const made = await create({ url: URL_A, eventTypes: ['*'], description: 'all', format: 'axle', headers: { 'X-Team': 'core' }, rateLimitPerSecond: 5 });
    expect(made.status).toBe(201);
    const all = await call('GET', '/endpoints', { key: a.developerKey });
    expect(all.status).toBe(200);
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.data.map((e: { id: string }) => e.id)).toContain(made.body.endpoint.id);
    const got = await call('GET', `/endpoints/${made.body.endpoint.id}`, { key: a.developerKey });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(made.body.endpoint);
    expect(got.body).toMatchObject({ format: 'axle', headers: { 'X-Team': '••••••' }, rateLimitPerSecond: 5, eventTypes: ['*'] });
  });

  it('refuses invalid input with 422 and every problem listed', async () => {
    const r = await create({ url: 'http://example.com/x', eventTypes: [], format: 'soap', surprise: 1 });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('validation_failed');
    const paths = r.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.eventTypes', 'body.format', 'body']));
    const guard = await create({ url: 'http://example.com/x', eventTypes: ['compound.created'] });
    expect(guard.status).toBe(422);
    expect(guard.body.error.details[0].path).toBe('body.url');
    const unknownType = await create({ url: URL_A, eventTypes: ['nope.nothing'] });
    expect(unknownType.status).toBe(422);
    expect(unknownType.body.error.details[0]).toMatchObject({ path: 'body.eventTypes' });
    const missing = await create({});
    expect(missing.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.eventTypes', 'body.url']);
  });

  it('PATCH /endpoints/{id} changes only the fields sent', async () => {
    const made = await create({ url: URL_A, eventTypes: ['compound.created'], description: 'before' });
    const id = made.body.endpoint.id;
    const r = await call('PATCH', `/endpoints/${id}`, { key: a.developerKey, body: { description: 'after', eventTypes: ['investigation.updated'] } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id, url: URL_A, description: 'after', eventTypes: ['investigation.updated'], format: 'standard' });
    const bad = await call('PATCH', `/endpoints/${id}`, { key: a.developerKey, body: { rateLimitPerSecond: 0 } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].path).toBe('body.rateLimitPerSecond');
  });

  it('DELETE /endpoints/{id}: 403 for a developer key (nothing changes), 204 for an admin key, then 404', async () => {
    const made = await create({ url: URL_A, eventTypes: ['compound.created'] });
    const id = made.body.endpoint.id;
    const denied = await call('DELETE', `/endpoints/${id}`, { key: a.developerKey });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
    expect(denied.body.error.message).toMatch(/endpoints\.delete needs admin/);
    expect(await h.db.select().from(endpoints).where(eq(endpoints.id, id))).toHaveLength(1);
    const gone = await call('DELETE', `/endpoints/${id}`, { key: a.adminKey });
    expect(gone.status).toBe(204);
    expect(gone.text).toBe('');
    expect(await h.db.select().from(endpoints).where(eq(endpoints.id, id))).toHaveLength(0);
    expect((await call('GET', `/endpoints/${id}`, { key: a.adminKey })).status).toBe(404);
  });

  it('secrets: reveal newest first, rotate with a grace period, end the grace period', async () => {
    const made = await create({ url: URL_A, eventTypes: ['compound.created'] });
    const id = made.body.endpoint.id;
    const reveal = () => call('GET', `/endpoints/${id}/secret`, { key: a.developerKey });
    expect((await reveal()).body).toEqual({ secrets: [{ secret: made.body.secret, graceEndsAt: null }] });
    const before = Date.now();
    const rotated = await call('POST', `/endpoints/${id}/secret/rotate`, { key: a.adminKey });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    const ends = Date.parse(rotated.body.previousGraceEndsAt);
    expect(ends - before).toBeGreaterThanOrEqual(86_400_000 - 1000);
    expect(ends - before).toBeLessThan(86_400_000 + 60_000);
    expect((await reveal()).body.secrets).toEqual([
      { secret: rotated.body.secret, graceEndsAt: null },
      { secret: made.body.secret, graceEndsAt: rotated.body.previousGraceEndsAt },
    ]);
    const ended = await call('POST', `/endpoints/${id}/secret/end-grace`, { key: a.adminKey });
    expect(ended.status).toBe(204);
    expect((await reveal()).body.secrets).toEqual([{ secret: rotated.body.secret, graceEndsAt: null }]);
    const now = await call('POST', `/endpoints/${id}/secret/rotate`, { key: a.adminKey, body: { graceSeconds: 0 } });
    expect(now.body.previousGraceEndsAt).toBeNull();
    for (const graceSeconds of [-1, 604_801, 1.5, '60']) {
      const bad = await call('POST', `/endpoints/${id}/secret/rotate`, { key: a.adminKey, body: { graceSeconds } });
      expect(bad.status).toBe(422);
      expect(bad.body.error.details[0].path).toBe('body.graceSeconds');
    }
    const denied = await call('POST', `/endpoints/${id}/secret/rotate`, { key: a.developerKey });
    expect(denied.status).toBe(403);
    expect((await call('POST', `/endpoints/${id}/secret/end-grace`, { key: a.developerKey })).status).toBe(403);
  });

  it('GET /event-types answers the catalog', async () => {
    const r = await call('GET', '/event-types', { key: a.developerKey });
    expect(r.status).toBe(200);
    expect(r.body.nextCursor).toBeNull();
    expect(r.body.data.map((t: { name: string }) => t.name)).toEqual(['compound.created', 'investigation.updated']);
    expect(r.body.data[0]).toEqual({ name: 'compound.created', description: expect.any(String), schema: expect.any(Object), sample: expect.any(Object), deprecated: false, managed: false });
  });
});

describe('another organization', () => {
  it("answers 404 for organization B's endpoint to a key of A, and changes nothing", async () => {
    const b = await makeApiOrg(h.db);
    const made = await create({ url: URL_A, eventTypes: ['compound.created'], description: 'B' }, b.adminKey);
    const id = made.body.endpoint.id;
    const before = await h.db.select().from(endpoints).where(eq(endpoints.id, id));
    const secretsBefore = await h.db.select().from(endpointSecrets).where(eq(endpointSecrets.endpointId, id));
    const p = { key: a.adminKey };
    const answers = [
      await call('GET', `/endpoints/${id}`, p),
      await call('PATCH', `/endpoints/${id}`, { ...p, body: { description: 'hijacked' } }),
      await call('DELETE', `/endpoints/${id}`, p),
      await call('GET', `/endpoints/${id}/secret`, p),
      await call('POST', `/endpoints/${id}/secret/rotate`, { ...p, body: { graceSeconds: 0 } }),
      await call('POST', `/endpoints/${id}/secret/end-grace`, p),
    ];
    for (const r of answers) expect({ status: r.status, code: r.body.error.code, message: r.body.error.message }).toEqual({ status: 404, code: 'not_found', message: 'Endpoint not found.' });
    expect(await h.db.select().from(endpoints).where(eq(endpoints.id, id))).toEqual(before);
    expect(await h.db.select().from(endpointSecrets).where(eq(endpointSecrets.endpointId, id))).toEqual(secretsBefore);
    const listed = await call('GET', '/endpoints', { key: a.adminKey });
    expect(listed.body.data.map((e: { id: string }) => e.id)).not.toContain(id);
    expect(await h.db.select().from(auditLog).where(and(eq(auditLog.orgId, a.orgId), eq(auditLog.target, id)))).toEqual([]);
  });
});
