import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDbKind } from '@/test/db';
import { spawnApiProcess } from '@/test/api-process';
import type { DbHandle } from '@/db/client';
import { setEnv } from '@/lib/env';
import { changeRole, removeMember } from '@/lib/orgs/members';
import { makeOrg } from '@/test/factories';
import { createApiKey, revokeApiKey } from './keys';
import { callAt, call, makeApiOrg, type Caller } from '@/test/api';

let h: DbHandle & { url?: string };
const stops: (() => Promise<void>)[] = [];
beforeAll(async () => {
  h = await createTestDb();
  setEnv({ WEBHOOK_ALLOW_PRIVATE_TARGETS: true });
});
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});
afterAll(async () => h?.close());

// An organization whose admin made an admin key; the key has been used, so it sits in the key cache.
async function adminWithKey(api: Caller = call) {
  const org = await makeOrg(h.db);
  const { key, apiKey } = await createApiKey(org.actors.admin, { name: 'Made by the admin', role: 'admin' });
  const made = await api('POST', '/endpoints', { key, body: { url: 'https://127.0.0.1:9443/x', eventTypes: ['*'] } });
  expect(made.status).toBe(201);
  return { org, key, keyId: apiKey.id, endpointId: made.body.endpoint.id as string };
}

describe("a key acts with the lower of its own role and its creator's current role", () => {
  it('a demoted creator brings the key down with them at once; promoted again, it is back', async () => {
    const { org, key, endpointId } = await adminWithKey();
    await changeRole(org.actors.owner, org.actors.admin.id, 'developer');
    const rotate = await call('POST', `/endpoints/${endpointId}/secret/rotate`, { key, body: { graceSeconds: 0 } });
    expect(rotate.status).toBe(403);
    expect(rotate.body.error.code).toBe('forbidden');
    expect((await call('GET', `/endpoints/${endpointId}/secret`, { key })).status).toBe(200); // developer may still reveal
    await changeRole(org.actors.owner, org.actors.admin.id, 'viewer');
    expect((await call('GET', `/endpoints/${endpointId}/secret`, { key })).status).toBe(403);
    expect((await call('GET', '/endpoints', { key })).status).toBe(200);
    await changeRole(org.actors.owner, org.actors.admin.id, 'owner');
    expect((await call('POST', `/endpoints/${endpointId}/secret/rotate`, { key, body: { graceSeconds: 0 } })).status).toBe(200);
  });

  it("a developer's key made by an owner stays a developer's key; the key never rises above its own role", async () => {
    const a = await makeApiOrg(h.db);
    const ep = await call('POST', '/endpoints', { key: a.adminKey, body: { url: 'https://127.0.0.1:9443/y', eventTypes: ['*'] } });
    expect((await call('DELETE', `/endpoints/${ep.body.endpoint.id}`, { key: a.developerKey })).status).toBe(403);
  });

  it('a creator who left the organization leaves the key answering 401 at once', async () => {
    const { org, key } = await adminWithKey();
    await removeMember(org.actors.owner, org.actors.admin.id);
    const r = await call('GET', '/endpoints', { key });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthorized');
    // other members' keys go on working
    const { key: ownerKey } = await createApiKey(org.actors.owner, { name: 'Owner key', role: 'admin' });
    expect((await call('GET', '/endpoints', { key: ownerKey })).status).toBe(200);
  });
});

describe.runIf(testDbKind() === 'postgres')('across processes (PostgreSQL: NOTIFY)', () => {
  // Polls another process until it answers `status`, and returns how long that took after the change.
  async function msUntil(url: string, path: string, key: string, status: number, since: number, opts: { method?: string; body?: unknown } = {}) {
    for (;;) {
      const r = await callAt(url, opts.method ?? 'GET', path, { key, body: opts.body });
      if (r.status === status) return Date.now() - since;
      if (Date.now() - since > 5000) throw new Error(`still ${r.status} after 5 s: ${r.text}`);
      await new Promise((res) => setTimeout(res, 20));
    }
  }

  it('another API process refuses a revoked key, a removed creator\'s key and a demoted creator\'s rights within 1 s', { timeout: 60_000 }, async () => {
    const other = await spawnApiProcess(h.url!);
    stops.push(other.stop);
    const there: Caller = (method, path, opts) => callAt(other.url, method, path, opts);

    const revoked = await adminWithKey(there);
    expect((await there('GET', '/endpoints', { key: revoked.key })).status).toBe(200); // cached there now
    let t = Date.now();
    await revokeApiKey(revoked.org.actors.owner, revoked.keyId);
    expect(await msUntil(other.url, '/endpoints', revoked.key, 401, t)).toBeLessThan(1000);

    const demoted = await adminWithKey(there);
    const rotatePath = `/endpoints/${demoted.endpointId}/secret/rotate`;
    expect((await there('POST', rotatePath, { key: demoted.key, body: { graceSeconds: 0 } })).status).toBe(200);
    t = Date.now();
    await changeRole(demoted.org.actors.owner, demoted.org.actors.admin.id, 'developer');
    expect(await msUntil(other.url, rotatePath, demoted.key, 403, t, { method: 'POST', body: { graceSeconds: 0 } })).toBeLessThan(1000);

    t = Date.now();
    await removeMember(demoted.org.actors.owner, demoted.org.actors.admin.id);
    expect(await msUntil(other.url, '/endpoints', demoted.key, 401, t)).toBeLessThan(1000);
  });
});
