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
  conflict: 409,
  too_large: 413,
  validation_failed: 422,
  rate_limited: 429,
  internal: 500,
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

// A JSON answer with no caching: answers carry secrets and per-key data.
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

export function errorResponse(e: ApiError): Response {
  const error = { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) };
  return json({ error }, e.status, e.headers);
}

// zod issues as problems, each located under `where` (body, query, header).
export function zodProblems(err: z.ZodError, where: string): Problem[] {
  return err.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
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
  if (e instanceof UserError) {
    const details = Object.entries(e.fieldErrors).flatMap(([field, messages]) =>
      (messages ?? []).map((message) => ({ path: `body.${field}`, message })),
    );
    const code = USER_ERROR_CODES[e.code];
    return new ApiError(code, e.message, code === 'validation_failed' && details.length ? details : undefined);
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
