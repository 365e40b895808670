import { z } from 'zod';
import { assertCan, type Actor, type Permission } from '@/lib/auth/permissions';
import type { RouteDef, RouteInput, RouteOutput } from './define';
import { ApiError, errorResponse, json, toApiError, zodProblems, type ApiAnswer } from './errors';
import { authenticate } from './authenticate';
import { takeRequest } from './rate-limit';

/** Raw request bodies above this are refused before they are read in full (encoded events are capped at 256 KiB later). */
export const MAX_RAW_BODY_BYTES = 1024 * 1024;

/** One API request as the pipeline sees it, whatever server received it. */
export type ApiRequest = {
  method: string;
  /** Path and query under the origin, e.g. `/api/v1/endpoints?limit=5`. */
  url: string;
  /** Lower-case header names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** `http://host:port` the client used. */
  origin: string;
  /** Reads the raw body, refusing (ApiError too_large) past `limit` bytes; undefined when there is none. */
  readBody(limit: number): Promise<Buffer | undefined>;
};

export type HandlerContext<D> = RouteInput<D> & {
  actor: D extends { permission: Permission } ? Actor : null;
  params: Record<string, string>;
  origin: string;
  /** Adds a header to the success answer. */
  setHeader(name: string, value: string): void;
  /** Answers with the route's alternate success status (e.g. 200 for an upsert that changed a row) instead of its main one. */
  setStatus(status: number): void;
};

export type Handler<D> = (ctx: HandlerContext<D>) => Promise<RouteOutput<D>>;

/** A definition and its handler: one row of the API's route table. */
export type ApiRoute = { def: RouteDef; handler: Handler<never> };

// Pairs a definition with its handler, keeping the definition's types for the handler.
export function route<D extends RouteDef>(def: D, handler: Handler<D>): ApiRoute {
  return { def, handler: handler as unknown as Handler<never> };
}

export function header(req: Pick<ApiRequest, 'headers'>, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

// Runs one route: key → rate limit → role → body, query and headers → handler → documented answer.
// Every failure becomes `{ error: { code, message, details? } }`; unexpected ones a bare 500 with the detail in the log.
export async function runRoute(r: ApiRoute, req: ApiRequest, params: Record<string, string>): Promise<ApiAnswer> {
  const { def } = r;
  const where = `${def.method} /api/v1${def.path}`;
  let limitHeaders: Record<string, string> = {};
  try {
    const maxBody = def.maxBodyBytes ?? MAX_RAW_BODY_BYTES;
    if (Number(header(req, 'content-length') ?? 0) > maxBody) throw tooLarge(maxBody);
    let actor: Actor | null = null;
    if (def.permission || def.platform) {
      const who = await authenticate({ get: (name) => header(req, name) ?? null }, def);
      actor = who.actor;
      const rate = takeRequest(who.rateKey);
      if (!rate.ok) {
        throw new ApiError('rate_limited', `This key is over its limit of ${rate.limit} requests a minute. Retry after ${rate.retryAfterSeconds} s.`, undefined, {
          'retry-after': String(rate.retryAfterSeconds),
          'x-ratelimit-limit': String(rate.limit),
          'x-ratelimit-remaining': '0',
        });
      }
      limitHeaders = { 'x-ratelimit-limit': String(rate.limit), 'x-ratelimit-remaining': String(rate.remaining), 'x-ratelimit-reset': String(rate.resetSeconds) };
      if (def.permission) assertCan(actor, def.permission);
    }
    const body = def.body ? validate(def.body, (await readJson(req, maxBody)) ?? {}, 'body', def.bodyPathPrefix ?? 'body') : undefined;
    const query = def.query ? validate(def.query, queryObject(req.url), 'query', 'query') : undefined;
    const headers = def.headers ? validate(def.headers, headerObject(req, def.headers), 'header', 'header') : undefined;
    const extra: Record<string, string> = {};
    const setHeader = (name: string, value: string) => void (extra[name.toLowerCase()] = value);
    let status: number = def.response.status;
    const setStatus = (s: number) => {
      if (s !== def.response.status && s !== def.response.alternate?.status) throw new Error(`${where}: status ${s} is not documented`);
      status = s;
    };
    const ctx = { actor, params, origin: req.origin, body, query, headers, setHeader, setStatus } as unknown as HandlerContext<never>;
    const result = await r.handler(ctx);
    return answer(def, result, { ...limitHeaders, ...extra }, where, status);
  } catch (e) {
    const err = toApiError(e, where);
    if (err.code !== 'rate_limited') Object.assign(err.headers, limitHeaders);
    return errorResponse(err);
  }
}

function answer(def: RouteDef, result: unknown, headers: Record<string, string>, where: string, status: number = def.response.status): ApiAnswer {
  const { schema } = def.response;
  if (status === 204 || !schema) return { status: 204, headers: { 'cache-control': 'no-store', ...headers }, body: null };
  // The answer goes out through its documented schema: unknown fields are dropped, a mismatch is our bug.
  const parsed = schema.safeParse(result);
  if (!parsed.success) throw new Error(`${where}: answer does not match its documented schema: ${z.prettifyError(parsed.error)}`);
  return json(parsed.data, status, headers);
}

export function tooLarge(limit: number) {
  return new ApiError('too_large', `The request body is over ${limit / 1024} KiB. Event data is limited to 256 KiB once encoded.`);
}

// Reads the body up to the route's limit and parses it as JSON; undefined when empty.
async function readJson(req: ApiRequest, limit: number): Promise<unknown> {
  const raw = await req.readBody(limit);
  if (!raw || raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError('malformed_json', `The request body is not valid JSON (${(e as Error).message}). Send a JSON object with Content-Type: application/json.`);
  }
}

function validate<S extends z.ZodType>(schema: S, value: unknown, where: string, prefix: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const problems = zodProblems(r.error, prefix);
    const first = problems[0];
    const message = `The ${where === 'header' ? 'headers are' : `${where} is`} not valid: ${first ? `${first.path}: ${first.message}` : 'check it'}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}.`;
    throw new ApiError('validation_failed', message, problems);
  }
  return r.data;
}

function queryObject(url: string): Record<string, string> {
  const q = url.indexOf('?');
  return q < 0 ? {} : Object.fromEntries(new URLSearchParams(url.slice(q + 1)));
}

// The headers a route declares, read case-insensitively under their declared names.
function headerObject(req: ApiRequest, schema: z.ZodType): Record<string, string> {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const out: Record<string, string> = {};
  for (const name of Object.keys(shape)) {
    const v = header(req, name);
    if (v !== undefined) out[name] = v;
  }
  return out;
}
