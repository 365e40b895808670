import { ForbiddenError, PERMISSIONS } from './auth/permissions';

// An error a person can fix: its message is safe to show, with optional field-level messages.
export class UserError extends Error {
  constructor(
    message: string,
    public fieldErrors: Record<string, string[]> = {},
    public code: 'invalid' | 'not_found' | 'conflict' | 'too_large' = 'invalid',
  ) {
    super(message);
  }
}

// "Not found in this org" and "not found" look the same.
export class NotFoundError extends UserError {
  constructor(what: string) {
    super(`${what} not found.`, {}, 'not_found');
  }
}

/** Where an error is answered: a server action, sign-in or sign-up, the REST API, or a dashboard's internal route. */
export type ErrorSurface = 'action' | 'sign-in' | 'api' | 'internal';
/** What went wrong, in the words every surface shares: a UserError's code, a refusal, the database away, or our bug. */
export type ErrorKind = UserError['code'] | 'forbidden' | 'unavailable' | 'internal';

/** What one error becomes: what the client is shown (kind, status, message, fieldErrors) and what the log got (or null). */
export type TranslatedError = {
  kind: ErrorKind;
  status: number;
  message: string;
  fieldErrors?: Record<string, string[]>;
  log: string | null;
};

const STATUS: Record<ErrorKind, number> = { invalid: 422, not_found: 404, conflict: 409, too_large: 413, forbidden: 403, unavailable: 503, internal: 500 };

// What a client is told of an error that is not its own to fix; never the error itself.
const INTERNAL: Record<ErrorSurface, string> = {
  action: 'Something went wrong on our side. Try again; if it keeps happening, check the server log.',
  'sign-in': 'Something went wrong on our side. Try again in a moment.',
  api: 'Internal error',
  internal: 'Internal error',
};
const UNAVAILABLE_API = 'The database is unreachable for a moment. Retry after Retry-After seconds; a publish retried with the same Idempotency-Key creates its event once.';

// The one table of what is shown and what is logged, for every surface: a UserError (NotFoundError included) shows its
// message and field errors; a ForbiddenError its refusal (the API names the key's role); anything else is logged once,
// here, as `<where> failed:` without query parameters, and shown as the surface's generic sentence. The internal
// routes answer a UserError with 400 (404 when not found), as they always have.
export function translateError(e: unknown, surface: ErrorSurface, where: string = surface): TranslatedError {
  if (e instanceof UserError) {
    return { kind: e.code, status: surface === 'internal' && e.code !== 'not_found' ? 400 : STATUS[e.code], message: e.message, fieldErrors: e.fieldErrors, log: null };
  }
  if (e instanceof ForbiddenError) {
    const message =
      surface === 'api' && !e.reason
        ? `This API key's role does not allow this: ${e.permission} needs ${PERMISSIONS[e.permission]} or above. Use a key with a higher role.`
        : e.message;
    return { kind: 'forbidden', status: STATUS.forbidden, message, log: null };
  }
  if (isDatabaseUnavailable(e)) {
    const log = `${where}: database unavailable: ${logSafe(e).split('\n')[0]}`;
    console.error(log);
    return { kind: 'unavailable', status: STATUS.unavailable, message: surface === 'api' ? UNAVAILABLE_API : INTERNAL[surface], log };
  }
  const log = `${where} failed: ${logSafe(e)}`;
  console.error(log);
  return { kind: 'internal', status: STATUS.internal, message: INTERNAL[surface], log };
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

// What the server log gets of an unexpected error: a failed query's own message and the stack, never its parameters (which may hold secrets).
function logSafe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const frames = (e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).join('\n');
  const cause = e.cause instanceof Error ? e.cause : undefined;
  const isQuery = 'params' in e || 'query' in e;
  const message = isQuery ? `query failed: ${cause?.message ?? 'database error'}` : e.message;
  return `${e.name}: ${message}\n${frames}`;
}
