import { z } from 'zod';
import { ForbiddenError, PERMISSIONS } from '../auth/permissions';
import { UserError } from '../errors';

// The error codes of the API, each with its HTTP status.
export const API_ERRORS = {
  malformed_json: 400,
  tenant_required: 400,
  tenant_not_allowed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  too_large: 413,
  validation_failed: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;
export type ApiErrorCode = keyof typeof API_ERRORS;

/** One problem of a request: where (a path into the body, query or header) and what to fix. */
export const problemSchema = z.object({
  path: z.string().describe('Where the problem is, e.g. "body.url", "query.limit" or "header.Idempotency-Key".'),
  message: z.string(),
});
export type Problem = z.infer<typeof problemSchema>;

// The body of every error answer.
export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(API_ERRORS) as [ApiErrorCode, ...ApiErrorCode[]]),
    message: z.string().describe('A sentence saying what went wrong and how to fix it; safe to show.'),
    details: z.array(problemSchema).optional().describe('For validation_failed: every problem found.'),
  }),
});

// An error answered as `{ error: { code, message, details? } }` with the code's status.
export class ApiError extends Error {
  constructor(
    public code: ApiErrorCode,
    message: string,
    public details?: Problem[],
    public headers: Record<string, string> = {},
  ) {
    super(message);
  }

  get status(): number {
    return API_ERRORS[this.code];
  }
}

/** What the API answers: a status, headers (lower-case names) and a body (JSON text, or null for none). */
export type ApiAnswer = { status: number; headers: Record<string, string>; body: string | null };

// A JSON answer with no caching: answers carry secrets and per-key data.
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): ApiAnswer {
  return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }, body: JSON.stringify(body) };
}

export function errorResponse(e: ApiError): ApiAnswer {
  const error = { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) };
  return json({ error }, e.status, e.headers);
}

// The database cannot be reached (refused, reset, shut down, timed out): the request may be retried.
export function isDatabaseUnavailable(e: unknown): boolean {
  for (let c = e as { code?: unknown; message?: unknown; cause?: unknown } | undefined, i = 0; c && i < 5; c = c.cause as typeof c, i++) {
    const code = typeof c.code === 'string' ? c.code : '';
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
    if (/^(08|57P0[1-3]|53300)/.test(code)) return true; // connection exceptions, admin/crash shutdown, cannot connect now, too many connections
    const message = typeof c.message === 'string' ? c.message : '';
    if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection closed|the database system is (starting up|shutting down)/i.test(message)) return true;
  }
  return false;
}

const UNAVAILABLE = 'The database is unreachable for a moment. Retry after Retry-After seconds; a publish retried with the same Idempotency-Key creates its event once.';

// zod issues as problems, each located under `where` (body, query, header; "" for the body's root).
export function zodProblems(err: z.ZodError, where: string): Problem[] {
  return err.issues.map((i) => ({ path: [where, ...i.path.map(String)].filter(Boolean).join('.') || 'body', message: i.message }));
}

// What lib/ refused, as an API error whose details name each field under `prefix` ("body" → body.url; "" → events.3.data).
export function fromUserError(e: UserError, prefix: string, allDetails = false): ApiError {
  const details = Object.entries(e.fieldErrors).flatMap(([field, messages]) =>
    (messages ?? []).map((message) => ({ path: [prefix, field].filter(Boolean).join('.'), message })),
  );
  const code = USER_ERROR_CODES[e.code];
  return new ApiError(code, e.message, (allDetails || code === 'validation_failed') && details.length ? details : undefined);
}

const USER_ERROR_CODES: Record<UserError['code'], ApiErrorCode> = {
  invalid: 'validation_failed',
  not_found: 'not_found',
  conflict: 'conflict',
  too_large: 'too_large',
};

// Maps what lib/ throws to an API error; anything unexpected is logged here and answered as a bare 500.
export function toApiError(e: unknown, where: string): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof ForbiddenError) {
    if (e.reason) return new ApiError('forbidden', e.reason);
    return new ApiError('forbidden', `This API key's role does not allow this: ${e.permission} needs ${PERMISSIONS[e.permission]} or above. Use a key with a higher role.`);
  }
  if (e instanceof UserError) return fromUserError(e, 'body');
  if (isDatabaseUnavailable(e)) {
    console.error(`api: ${where}: database unavailable:`, logSafe(e).split('\n')[0]);
    return new ApiError('unavailable', UNAVAILABLE, undefined, { 'retry-after': '2' });
  }
  console.error(`api: ${where} failed:`, logSafe(e));
  return new ApiError('internal', 'Internal error');
}

// What the server log gets of an unexpected error: a failed query's own message and the stack, never its parameters (which may hold secrets).
function logSafe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const frames = (e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).join('\n');
  const cause = e.cause instanceof Error ? e.cause : undefined;
  const isQuery = 'params' in e || 'query' in e;
  const message = isQuery ? `query failed: ${cause?.message ?? 'database error'}` : e.message;
  return `${e.name}: ${message}\n${frames}`;
}
