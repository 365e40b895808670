import { z } from 'zod';
import { assertCan, type Actor, type Permission } from '../auth/permissions';
import type { RouteDef, RouteInput, RouteOutput } from './define';
import { ApiError, errorResponse, json, toApiError, zodProblems } from './errors';
import { authenticate } from './authenticate';
import { takeRequest } from './rate-limit';

/** Raw request bodies above this are refused before they are read in full (encoded events are capped at 256 KiB later). */
export const MAX_RAW_BODY_BYTES = 1024 * 1024;

export type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

export type HandlerContext<D> = RouteInput<D> & {
  actor: D extends { permission: Permission } ? Actor : null;
  params: Record<string, string>;
  request: Request;
  /** Adds a header to the success answer. */
  setHeader(name: string, value: string): void;
  /** Answers with the route's alternate success status instead of its main one. */
  setStatus(status: number): void;
};

type Handler<D> = (ctx: HandlerContext<D>) => Promise<RouteOutput<D> | Response>;

// Wraps one route handler: key → rate limit → role → body, query and headers → handler → documented answer.
// Every failure becomes `{ error: { code, message, details? } }`; unexpected ones a bare 500 with the detail in the log.
export function apiRoute<D extends RouteDef>(def: D, handler: Handler<D>) {
  const where = `${def.method} /api/v1${def.path}`;
  return async function route(request: Request, context?: RouteContext): Promise<Response> {
    let limitHeaders: Record<string, string> = {};
    try {
      refuseHugeBody(request);
      let actor: Actor | null = null;
      if (def.permission || def.platform) {
        const who = await authenticate(request.headers, def);
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
      const params = await readParams(context);
      const body = def.body ? validate(def.body, (await readJson(request)) ?? {}, 'body') : undefined;
      const query = def.query ? validate(def.query, Object.fromEntries(new URL(request.url).searchParams), 'query') : undefined;
      const headers = def.headers ? validate(def.headers, headerObject(request, def.headers), 'header') : undefined;
      const extra: Record<string, string> = {};
      const setHeader = (name: string, value: string) => void (extra[name.toLowerCase()] = value);
      let status: number = def.response.status;
      const setStatus = (s: number) => {
        if (s !== def.response.status && s !== def.response.alternate?.status) throw new Error(`${where}: status ${s} is not documented`);
        status = s;
      };
      const ctx = { actor, params, request, body, query, headers, setHeader, setStatus } as unknown as HandlerContext<D>;
      const result = await handler(ctx);
      if (result instanceof Response) {
        for (const [k, v] of Object.entries(limitHeaders)) result.headers.set(k, v);
        return result;
      }
      return answer(def, result, { ...limitHeaders, ...extra }, where, status);
    } catch (e) {
      const err = toApiError(e, where);
      if (err.code !== 'rate_limited') Object.assign(err.headers, limitHeaders);
      return errorResponse(err);
    }
  };
}

function answer(def: RouteDef, result: unknown, headers: Record<string, string>, where: string, status: number = def.response.status): Response {
  const { schema } = def.response;
  if (status === 204 || !schema) return new Response(null, { status: 204, headers: { 'cache-control': 'no-store', ...headers } });
  // The answer goes out through its documented schema: unknown fields are dropped, a mismatch is our bug.
  const parsed = schema.safeParse(result);
  if (!parsed.success) throw new Error(`${where}: answer does not match its documented schema: ${z.prettifyError(parsed.error)}`);
  return json(parsed.data, status, headers);
}

function refuseHugeBody(request: Request) {
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > MAX_RAW_BODY_BYTES) throw tooLarge();
}

function tooLarge() {
  return new ApiError('too_large', `The request body is over ${MAX_RAW_BODY_BYTES / 1024} KiB. Event data is limited to 256 KiB once encoded.`);
}

// Reads the body up to the raw limit and parses it as JSON; undefined when empty.
async function readJson(request: Request): Promise<unknown> {
  if (!request.body) return undefined;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RAW_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError('malformed_json', `The request body is not valid JSON (${(e as Error).message}). Send a JSON object with Content-Type: application/json.`);
  }
}

function validate<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const problems = zodProblems(r.error, where);
    const first = problems[0];
    const message = `The ${where === 'header' ? 'headers are' : `${where} is`} not valid: ${first ? `${first.path}: ${first.message}` : 'check it'}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}.`;
    throw new ApiError('validation_failed', message, problems);
  }
  return r.data;
}

// The headers a route declares, read case-insensitively under their declared names.
function headerObject(request: Request, schema: z.ZodType): Record<string, string> {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const out: Record<string, string> = {};
  for (const name of Object.keys(shape)) {
    const v = request.headers.get(name);
    if (v !== null) out[name] = v;
  }
  return out;
}

async function readParams(context?: RouteContext): Promise<Record<string, string>> {
  const raw = (await context?.params) ?? {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
  return out;
}
