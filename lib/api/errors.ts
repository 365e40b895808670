import { z } from 'zod';
import { translateError, UserError } from '@/lib/errors';

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

// Maps what lib/ throws to an API error through the one translator (lib/errors.ts), which logs anything unexpected.
export function toApiError(e: unknown, where: string): ApiError {
  if (e instanceof ApiError) return e;
  const t = translateError(e, 'api', `api: ${where}`);
  if (t.kind === 'unavailable') return new ApiError('unavailable', t.message, undefined, { 'retry-after': '2' });
  if (t.kind === 'forbidden' || t.kind === 'internal') return new ApiError(t.kind, t.message);
  return fromUserError(e as UserError, 'body'); // its details name each field under body.
}
