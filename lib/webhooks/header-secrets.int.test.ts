import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { createTestDb } from '@/test/db';
import { startReceiver, type Receiver } from '@/test/receiver';
import type { DbHandle } from '@/db/client';
import { apiKeys, attempts, endpoints } from '@/db/schema';
import { ForbiddenError } from '@/lib/auth/permissions';
import { fastDeliveryEnv, until } from '@/test/delivery';
import { startWorker, type Worker } from '@/lib/delivery/worker';
import { createApiKey, generateApiKey, hashApiKey } from '@/lib/api/keys';
import { newId } from '@/db/ids';
import { call } from '@/test/api';
import { listAuditLog } from '@/lib/audit/log';
import { getDelivery } from './deliveries';
import { createEndpoint, getEndpoint, listEndpoints, MASKED_HEADER_VALUE, revealEndpointHeaders, updateEndpoint } from './endpoints';
import { sendTestEvent } from './events';
import { errorOf, makeOrg } from '@/test/factories';

process.env.DATA_DIR ??= path.resolve('.test-data', `header-secrets-${randomBytes(4).toString('hex')}`);

// A receiver credential that must reach the receiver and nobody below developer.
const TOKEN = `Bearer tok_${randomBytes(12).toString('hex')}`;
let h: DbHandle;
let worker: Worker;
let rx: Receiver;
let org: Awaited<ReturnType<typeof makeOrg>>;

beforeAll(async () => {
  h = await createTestDb();
  fastDeliveryEnv();
  rx = await startReceiver();
  org = await makeOrg(h.db);
  worker = startWorker({ id: 'wrk_headers' });
}, 90_000);
afterAll(async () => {
  await worker?.stop();
  await rx?.close();
  await h?.close();
});

const make = (headers: Record<string, string>) =>
  createEndpoint(org.actors.developer, { url: rx.url, eventTypes: ['*'], headers });

describe('custom header values are secrets', () => {
  it('are sealed at rest, bound to their endpoint and name, and masked in every view', async () => {
    const { endpoint } = await make({ Authorization: TOKEN, 'X-Tenant': 'acme-tenant-7' });
    expect(endpoint.headers).toEqual({ Authorization: MASKED_HEADER_VALUE, 'X-Tenant': MASKED_HEADER_VALUE });
    const [row] = await h.db.select().from(endpoints).where(eq(endpoints.id, endpoint.id));
    expect(Object.keys(row!.headers)).toEqual(['Authorization', 'X-Tenant']);
    expect(JSON.stringify(row)).not.toContain(TOKEN.slice(7));
    expect(JSON.stringify(row)).not.toContain('acme-tenant-7');
    expect(row!.headers.Authorization).toMatch(/^v2\./);
    const views = JSON.stringify([await getEndpoint(org.orgId, endpoint.id), await listEndpoints(org.orgId)]);
    expect(views).not.toContain(TOKEN.slice(7));
    expect(views).not.toContain('acme-tenant-7');
  });

  it('a viewer cannot reveal them; a developer can, and the reveal is audited', async () => {
    const { endpoint } = await make({ Authorization: TOKEN });
    expect(await errorOf(revealEndpointHeaders(org.actors.viewer, endpoint.id))).toBeInstanceOf(ForbiddenError);
    expect(await revealEndpointHeaders(org.actors.developer, endpoint.id)).toEqual({ Authorization: TOKEN });
    const { data } = await listAuditLog(org.orgId);
    expect(data[0]).toMatchObject({ action: 'endpoint.headers_revealed', target: endpoint.id, actor: org.actors.developer.label });
    expect(JSON.stringify(data)).not.toContain(TOKEN.slice(7));
  });

  it('editing keeps a masked value as stored, takes a new one, and asks for the value of a new or renamed header', async () => {
    const { endpoint } = await make({ Authorization: TOKEN, 'X-Tenant': 'acme' });
    await updateEndpoint(org.actors.developer, endpoint.id, {
      description: 'edited', headers: { Authorization: MASKED_HEADER_VALUE, 'X-Tenant': 'globex' },
    });
    expect(await revealEndpointHeaders(org.actors.developer, endpoint.id)).toEqual({ Authorization: TOKEN, 'X-Tenant': 'globex' });
    // another field changed, the masked headers sent back as they were: stored values untouched, never plaintext
    await updateEndpoint(org.actors.developer, endpoint.id, { description: 'again', headers: { Authorization: MASKED_HEADER_VALUE, 'X-Tenant': MASKED_HEADER_VALUE } });
    const [row] = await h.db.select().from(endpoints).where(eq(endpoints.id, endpoint.id));
    expect(JSON.stringify(row!.headers)).not.toContain(TOKEN.slice(7));
    expect(await revealEndpointHeaders(org.actors.developer, endpoint.id)).toEqual({ Authorization: TOKEN, 'X-Tenant': 'globex' });
    const renamed = await errorOf(updateEndpoint(org.actors.developer, endpoint.id, { headers: { 'X-Auth': MASKED_HEADER_VALUE } }));
    expect(renamed!.fieldErrors!.headers).toEqual(['Enter the value of "X-Auth": a hidden value is kept only for a header that keeps its name.']);
    const created = await errorOf(make({ 'X-Key': MASKED_HEADER_VALUE }));
    expect(created!.fieldErrors!.headers![0]).toMatch(/Enter the value of "X-Key"/);
    expect(await revealEndpointHeaders(org.actors.developer, endpoint.id)).toEqual({ Authorization: TOKEN, 'X-Tenant': 'globex' });
  });

  it('the receiver gets the real value; the attempt keeps the header name with a masked value', async () => {
    const { endpoint } = await make({ Authorization: TOKEN });
    const { deliveryId } = await sendTestEvent(org.actors.developer, endpoint.id, 'compound.created');
    await rx.waitFor(1);
    expect(rx.requests.at(-1)!.headers.authorization).toBe(TOKEN);
    const detail = await until(async () => {
      const d = await getDelivery(org.orgId, deliveryId);
      return d.attempts[0]?.finishedAt && d;
    });
    expect(detail.attempts[0]!.requestHeaders).toMatchObject({ Authorization: MASKED_HEADER_VALUE, 'webhook-id': expect.stringMatching(/^evt_/) });
    const [stored] = await h.db.select().from(attempts).where(eq(attempts.deliveryId, deliveryId));
    expect(JSON.stringify(stored)).not.toContain(TOKEN.slice(7));
    expect(JSON.stringify(detail)).not.toContain(TOKEN.slice(7));
  });

  it('over the API a viewer key sees no value (list, one, delivery) and may not reveal; a developer key reveals', async () => {
    const { endpoint } = await make({ Authorization: TOKEN });
    const { deliveryId } = await sendTestEvent(org.actors.developer, endpoint.id, 'compound.created');
    await until(async () => (await getDelivery(org.orgId, deliveryId)).attempts[0]?.finishedAt);
    // keys are made developer or admin; a viewer-level key is one whose creator is now a viewer (issue 14, item 3)
    const viewer = generateApiKey();
    await h.db.insert(apiKeys).values({ id: newId('key'), orgId: org.orgId, name: 'Viewer key', prefix: viewer.slice(0, 7), hash: hashApiKey(viewer), role: 'viewer', createdBy: org.actors.viewer.id });
    const developer = (await createApiKey(org.actors.owner, { name: 'Dev key', role: 'developer' })).key;
    const answers = [
      await call('GET', '/endpoints', { key: viewer }),
      await call('GET', `/endpoints/${endpoint.id}`, { key: viewer }),
      await call('GET', `/deliveries/${deliveryId}`, { key: viewer }),
    ];
    for (const r of answers) {
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.body)).not.toContain(TOKEN.slice(7));
    }
    expect(answers[1]!.body.headers).toEqual({ Authorization: MASKED_HEADER_VALUE });
    expect(answers[2]!.body.attempts[0].requestHeaders.Authorization).toBe(MASKED_HEADER_VALUE);
    const refused = await call('GET', `/endpoints/${endpoint.id}/headers`, { key: viewer });
    expect(refused.status).toBe(403);
    const revealed = await call('GET', `/endpoints/${endpoint.id}/headers`, { key: developer });
    expect(revealed.status).toBe(200);
    expect(revealed.body).toEqual({ headers: { Authorization: TOKEN } });
    const patched = await call('PATCH', `/endpoints/${endpoint.id}`, { key: developer, body: { headers: { Authorization: MASKED_HEADER_VALUE, 'X-New': 'v' } } });
    expect(patched.status).toBe(200);
    expect(await revealEndpointHeaders(org.actors.developer, endpoint.id)).toEqual({ Authorization: TOKEN, 'X-New': 'v' });
  });
});
