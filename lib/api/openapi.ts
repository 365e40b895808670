import { z } from 'zod';
import { API_ERRORS, errorBodySchema, type ApiErrorCode } from './errors';
import type { RouteDef } from './define';
import { NAMED_SHAPES } from './schemas';

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;

const ERROR_TEXT: Record<ApiErrorCode, string> = {
  malformed_json: 'The body is not valid JSON.',
  tenant_required: 'The platform key was sent without a Hookrelay-Tenant header (tenant_required), or an API key with one (tenant_not_allowed).',
  tenant_not_allowed: 'The platform key was sent without a Hookrelay-Tenant header (tenant_required), or an API key with one (tenant_not_allowed).',
  unauthorized: 'The API key (or platform key) is missing, unknown or revoked.',
  forbidden: "The key's role does not allow this.",
  not_found: 'Not found in the key’s organization (or tenant); on /platform routes also when the platform API is off.',
  method_not_allowed: 'The path takes other methods; Allow lists them.',
  conflict: 'The Idempotency-Key was used before with another body.',
  too_large: 'The body is too large (event data over 256 KiB encoded, or a request over 1 MiB; 5 MiB for a batch).',
  validation_failed: 'The body, query or a header is not valid; details lists each problem.',
  rate_limited: 'The key is over its requests per minute; retry after Retry-After seconds.',
  internal: 'Unexpected error; the detail is in the server log.',
  unavailable: 'The database is unreachable for a moment; retry after Retry-After seconds (a publish with the same Idempotency-Key).',
};

const DESCRIPTION = `Publish events and manage webhook endpoints of one organization.

Authenticate with an API key (Settings → API keys) as \`Authorization: Bearer hr_…\`. A key acts for its organization only,
with its role (developer or admin); ids of other organizations answer 404.

A platform (HOOKRELAY_PLATFORM_KEYS) sends its platform key to the /platform routes, and to every other route with the header
\`Hookrelay-Tenant: {externalId}\` to act in that tenant as "Platform" (an admin that cannot manage members or API keys).

Errors are \`{ "error": { "code", "message", "details"? } }\`.

Rate limit: each key may make API_RATE_LIMIT_PER_MINUTE requests a minute (6000 by default), counted per server process in a
fixed one-minute window; answers carry X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset (seconds), and a 429 carries Retry-After.`;

// Which statuses an operation may answer, derived from its definition.
export function documentedStatuses(def: RouteDef): Map<number, string> {
  const out = new Map<number, string>([[def.response.status, def.response.description]]);
  if (def.response.alternate) out.set(def.response.alternate.status, def.response.alternate.description);
  const add = (code: ApiErrorCode) => {
    const status = API_ERRORS[code];
    const before = out.get(status);
    out.set(status, before && before !== ERROR_TEXT[code] ? `${before} ${ERROR_TEXT[code]}` : ERROR_TEXT[code]);
  };
  if (def.body) (['malformed_json', 'too_large'] as const).forEach(add);
  if (def.permission) (['unauthorized', 'forbidden', 'rate_limited', 'tenant_required', 'not_found'] as const).forEach(add);
  if (def.platform) (['unauthorized', 'rate_limited', 'not_found'] as const).forEach(add);
  if (/\{\w+\}/.test(def.path) && !out.has(404)) add('not_found');
  if (def.body || def.query || def.headers) add('validation_failed');
  for (const s of def.extraStatuses ?? []) out.set(s.status, s.description);
  add('internal');
  if (def.permission) add('unavailable');
  return new Map([...out].sort(([a], [b]) => a - b));
}

function pascal(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function clean(schema: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

// The OpenAPI 3.1 document of the routes: every schema comes from the zod schemas the handlers validate with.
export function buildOpenApi(routes: readonly RouteDef[], opts: { serverUrl?: string; version?: string } = {}) {
  const uri = (id: string) => `#/components/schemas/${id}`;
  const requests = z.registry<{ id: string }>();
  const responses = z.registry<{ id: string }>();
  responses.add(errorBodySchema, { id: 'Error' });
  for (const [id, schema] of Object.entries(NAMED_SHAPES)) responses.add(schema, { id });
  for (const r of routes) {
    if (r.body && !requests.has(r.body)) requests.add(r.body, { id: `${pascal(r.operationId)}Request` });
    const s = r.response.schema;
    if (s && !responses.has(s)) responses.add(s, { id: `${pascal(r.operationId)}Response` });
  }
  const schemas: Record<string, JsonSchema> = {};
  for (const [registry, io] of [[requests, 'input'], [responses, 'output']] as const) {
    const out = z.toJSONSchema(registry, { io, uri }) as { schemas: Record<string, JsonSchema> };
    for (const [id, s] of Object.entries(out.schemas)) schemas[id] = clean(s);
  }
  const ref = (registry: typeof requests, s: z.ZodType) => ({ $ref: uri(registry.get(s)!.id) });

  const paths: Record<string, Record<string, Operation>> = {};
  for (const r of routes) {
    const parameters = [
      ...[...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...fieldParameters(r.query, 'query'),
      ...fieldParameters(r.headers, 'header'),
      ...(r.permission ? [TENANT_PARAMETER] : []),
    ];
    const answers: Record<string, unknown> = {};
    for (const [status, description] of documentedStatuses(r)) {
      if (status === r.response.status || status === r.response.alternate?.status) {
        answers[status] = r.response.schema && status !== 204
          ? { description, content: { 'application/json': { schema: ref(responses, r.response.schema) } } }
          : { description };
      } else {
        answers[status] = {
          description,
          content: { 'application/json': { schema: { $ref: uri('Error') } } },
          ...(status === 429 || status === 503 ? { headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } } } : {}),
        };
      }
    }
    (paths[r.path] ??= {})[r.method.toLowerCase()] = {
      operationId: r.operationId,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: [r.tag],
      ...(r.permission ? { 'x-permission': r.permission } : r.platform ? { security: [{ platformKey: [] }] } : { security: [] }),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(requests, r.body) } } } } : {}),
      responses: answers,
    };
  }
  return {
    openapi: '3.1.1',
    info: { title: 'Hookrelay API', version: opts.version ?? '1.0.0', description: DESCRIPTION },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: opts.serverUrl ?? '/api/v1' }],
    security: [{ apiKey: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'hr_ followed by 32 base64url characters' },
        platformKey: { type: 'http', scheme: 'bearer', description: 'A platform key of HOOKRELAY_PLATFORM_KEYS.' },
      },
    },
  };
}

const TENANT_PARAMETER = {
  name: 'Hookrelay-Tenant',
  in: 'header',
  required: false,
  description: 'With the platform key only (required then): the externalId of the tenant to act in. An API key with this header is refused (400 tenant_not_allowed).',
  schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
};

// Query or header parameters from a zod object's fields.
function fieldParameters(schema: z.ZodType | undefined, where: 'query' | 'header') {
  if (!schema) return [];
  const shape = (schema as unknown as { shape: Record<string, z.ZodType> }).shape;
  return Object.entries(shape).map(([name, field]) => {
    const json = clean(z.toJSONSchema(field, { io: 'input' }) as JsonSchema);
    const { description, ...rest } = json;
    return {
      name,
      in: where,
      required: !field.safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

let built: ReturnType<typeof buildOpenApi> | undefined;

// The document of the given routes, built once per process; only the server address differs per request.
export function openApiDocument(routes: readonly RouteDef[], serverUrl: string) {
  built ??= buildOpenApi(routes);
  return { ...built, servers: [{ url: serverUrl }] };
}
