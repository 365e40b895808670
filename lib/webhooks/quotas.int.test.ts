import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createTestDb } from '@/test/db';
import type { DbHandle } from '@/db/client';
import { setEnv } from '@/lib/env';
import { UserError } from '@/lib/errors';
import { createApiKey, revokeApiKey } from '@/lib/api/keys';
import { call, makeApiOrg } from '@/test/api';
import { createEndpoint, deleteEndpoint, listEndpoints } from './endpoints';
import { errorOf, makeOrg, publicResolver } from '@/test/factories';

process.env.DATA_DIR ??= path.resolve('.test-data', `quotas-${randomBytes(4).toString('hex')}`);

let h: DbHandle;
const opts = { resolve: publicResolver };
const input = { url: 'https://hooks.example.com/webhooks', eventTypes: ['*'] };

beforeAll(async () => {
  h = await createTestDb();
  setEnv({ HOOKRELAY_MAX_ENDPOINTS_PER_ORG: 2, HOOKRELAY_MAX_API_KEYS_PER_ORG: 3, WEBHOOK_ALLOW_PRIVATE_TARGETS: true });
});
afterAll(async () => h?.close());

describe('per-organization quotas', () => {
  it('refuses the endpoint past HOOKRELAY_MAX_ENDPOINTS_PER_ORG with a sentence, until one is deleted; other orgs are not affected', async () => {
    const org = await makeOrg(h.db, ['admin']);
    const first = await createEndpoint(org.actors.admin, input, opts);
    await createEndpoint(org.actors.admin, input, opts);
    const refused = await errorOf(createEndpoint(org.actors.admin, input, opts));
    expect(refused).toBeInstanceOf(UserError);
    expect(refused).toMatchObject({ code: 'conflict' });
    expect(refused!.message).toBe(
      'This organization has 2 endpoints, the most it may have (HOOKRELAY_MAX_ENDPOINTS_PER_ORG = 2); delete an endpoint it no longer needs, or ask the operator to raise the limit.',
    );
    expect(await listEndpoints(org.orgId)).toHaveLength(2);
    const other = await makeOrg(h.db, ['admin']);
    await createEndpoint(other.actors.admin, input, opts);
    await deleteEndpoint(org.actors.admin, first.endpoint.id);
    await createEndpoint(org.actors.admin, input, opts);
    expect(await listEndpoints(org.orgId)).toHaveLength(2);
  });

  it('holds when creations race for the last place', async () => {
    const org = await makeOrg(h.db, ['admin']);
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => createEndpoint(org.actors.admin, input, opts)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(await listEndpoints(org.orgId)).toHaveLength(2);
  });

  it('answers 409 over the API, with the sentence', async () => {
    const a = await makeApiOrg(h.db);
    const body = { ...input, url: 'https://127.0.0.1:9443/hooks' };
    for (let i = 0; i < 2; i++) expect((await call('POST', '/endpoints', { key: a.adminKey, body })).status).toBe(201);
    const r = await call('POST', '/endpoints', { key: a.adminKey, body });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('HOOKRELAY_MAX_ENDPOINTS_PER_ORG = 2') });
  });

  it('refuses the API key past HOOKRELAY_MAX_API_KEYS_PER_ORG; revoked keys do not count', async () => {
    const org = await makeOrg(h.db, ['owner']);
    const keys = [];
    for (let i = 0; i < 3; i++) keys.push(await createApiKey(org.actors.owner, { name: `k${i}`, role: 'developer' }));
    const refused = await errorOf(createApiKey(org.actors.owner, { name: 'one more', role: 'developer' }));
    expect(refused).toMatchObject({ code: 'conflict' });
    expect(refused!.message).toBe(
      'This organization has 3 API keys, the most it may have (HOOKRELAY_MAX_API_KEYS_PER_ORG = 3); revoke a key it no longer uses, or ask the operator to raise the limit.',
    );
    await revokeApiKey(org.actors.owner, keys[0]!.apiKey.id);
    await createApiKey(org.actors.owner, { name: 'one more', role: 'developer' });
  });
});
