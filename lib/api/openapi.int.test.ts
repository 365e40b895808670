import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { createTestDb } from '@/test/db';
import type { DbHandle } from '@/db/client';
import { setEnv } from '@/lib/env';
import { API_ROUTES } from './handlers';
import { call, makeApiOrg } from '@/test/api';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; security?: unknown[]; responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
  components: { schemas: Record<string, object> };
};

let h: DbHandle;
let a: Awaited<ReturnType<typeof makeApiOrg>>;
let doc: Doc;
const DOC_ID = 'https://hookrelay.test/openapi.json';
const PLATFORM_KEY = 'platform-key-for-the-openapi-walk-0123456789';
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);

beforeAll(async () => {
  h = await createTestDb();
  setEnv({ WEBHOOK_ALLOW_PRIVATE_TARGETS: true, HOOKRELAY_PLATFORM_KEYS: [PLATFORM_KEY] });
  a = await makeApiOrg(h.db);
  const r = await call('GET', '/openapi.json');
  expect(r.status).toBe(200);
  doc = r.body;
  ajv.addSchema({ $id: DOC_ID, components: doc.components });
});
afterAll(async () => h?.close());

const operations = () =>
  Object.entries(doc.paths).flatMap(([p, methods]) => Object.entries(methods).map(([method, op]) => ({ path: p, method: method.toUpperCase(), op })));

// Checks an answer against what the document says of its status: listed, and its body matching the documented schema.
function checkAnswer(op: Doc['paths'][string][string], r: { status: number; body: unknown }, where: string) {
  const documented = op.responses[String(r.status)];
  expect(documented, `${where} answered ${r.status}, which it does not document: ${JSON.stringify(r.body)}`).toBeDefined();
  const schema = documented!.content?.['application/json']?.schema as { $ref?: string } | undefined;
  if (!schema) return expect(r.body, `${where} documents no body for ${r.status}`).toBeUndefined();
  const validate = ajv.compile({ $ref: `${DOC_ID}${schema.$ref}` });
  expect(validate(r.body), `${where} ${r.status}: ${JSON.stringify(validate.errors)}`).toBe(true);
}

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1 (and the validator does check 3.1)', async () => {
    expect(doc.openapi).toBe('3.1.1');
    const api = (await SwaggerParser.validate(structuredClone(doc) as never)) as unknown as Doc;
    expect(Object.keys(api.paths).length).toBeGreaterThan(10);
    // the same document is not valid 3.0 (type arrays, jsonSchemaDialect): the 3.1 schema is the one applied
    await expect(SwaggerParser.validate({ ...structuredClone(doc), openapi: '3.0.3' } as never)).rejects.toThrow();
    const broken = structuredClone(doc) as unknown as { paths: Record<string, Record<string, { responses: Record<string, { description?: string }> }>> };
    delete broken.paths['/events']!.post!.responses['202']!.description;
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow(/description/);
  });

  it('has valid JSON Schema 2020-12 component schemas', () => {
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      expect(ajv.validateSchema(schema), `${name}: ${JSON.stringify(ajv.errors)}`).toBe(true);
    }
    const endpoint = ajv.compile({ $ref: `${DOC_ID}#/components/schemas/Endpoint` });
    expect(endpoint({ id: 'ep_1' })).toBe(false); // the answers below are checked against real constraints
  });

  it('lists exactly the operations of the route table the server serves', () => {
    const documented = operations().map((o) => `${o.method} ${o.path} ${o.op.operationId}`);
    const served = API_ROUTES.map((r) => `${r.def.method} ${r.def.path} ${r.def.operationId}`);
    expect(served.sort()).toEqual(documented.sort());
  });

  it('every route it lists answers with a status it documents, with the documented body', async () => {
    const sample = { id: 'compound-123', name: 'Aspirin', category: 'analgesic', efficacy: 0.92 };
    const since = new Date(Date.now() - 3600_000).toISOString();
    const created: { endpointId?: string; deliveryId?: string } = {};
    const bodies: Record<string, unknown> = {
      publishEvent: { type: 'compound.created', data: sample },
      publishEvents: { events: [{ type: 'compound.created', data: sample }] },
      createEndpoint: { url: 'https://127.0.0.1:9443/walk', eventTypes: ['*'] },
      updateEndpoint: { description: 'walked' },
      rotateSecret: { graceSeconds: 60 },
      sendTestEvent: { type: 'compound.created' },
      replayFailed: { since, dryRun: true },
      replaySkipped: { since, dryRun: true },
      replayDelivery: { retry: 'once' },
      upsertTenant: { name: 'Walked tenant' },
      createPortalSession: { user: { id: 'u1' }, role: 'admin' },
      upsertPlatformEventType: { description: 'Walked.', schema: { type: 'object' }, sample: {} },
      setBranding: { productName: 'Walk', primaryColor: '#123456' },
    };
    // Creating first gives the ids the other routes need; deleting comes last.
    const order = (o: { method: string; op: { operationId: string } }) =>
      ['createEndpoint', 'upsertTenant'].includes(o.op.operationId) ? 0 : o.op.operationId === 'sendTestEvent' ? 1
        : o.op.operationId === 'deleteTenant' ? 4 : o.method === 'DELETE' ? 3 : 2;
    const ops = operations().sort((x, y) => order(x) - order(y));
    expect(ops.length).toBe(30);
    for (const { path: p, method, op } of ops) {
      const id = p.startsWith('/deliveries') ? created.deliveryId : created.endpointId;
      const platform = p.startsWith('/platform/');
      const params: Record<string, string> | undefined = p.includes('{id}') ? { id: id! } : p.includes('{externalId}') ? { externalId: 'walk-1' } : p.includes('{name}') ? { name: 'walk.done' } : undefined;
      const key = platform ? PLATFORM_KEY : a.adminKey;
      const where = `${method} ${p}`;
      const body = bodies[op.operationId];
      const at = (values: Record<string, string> | undefined) => p.replace(/\{\w+\}/, encodeURIComponent(Object.values(values ?? {})[0] ?? ''));
      const r = await call(method, at(params), { key, body });
      checkAnswer(op, r, where);
      expect(r.status, `${where}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
      if (op.operationId === 'createEndpoint') created.endpointId = r.body.endpoint.id;
      if (op.operationId === 'sendTestEvent') created.deliveryId = r.body.deliveryId;
      if (op.security?.length === 0) continue;
      // without a key, with another organization's id, and with a body that is not JSON: each answer is documented too
      checkAnswer(op, await call(method, at(params), { body }), `${where} without a key`);
      const unknown = Object.fromEntries(Object.entries(params ?? {}).map(([k, v]) => [k, `${v}x`]));
      if (params) checkAnswer(op, await call(method, at(unknown), { key, body }), `${where} unknown id`);
      if (body) checkAnswer(op, await call(method, at(params), { key, raw: '{' }), `${where} malformed`);
      if (!platform) checkAnswer(op, await call(method, at(params), { key: PLATFORM_KEY, body }), `${where} with the platform key and no tenant`);
    }
  });
});
