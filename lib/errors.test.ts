import { afterEach, describe, expect, it, vi } from 'vitest';
import { ForbiddenError } from './auth/permissions';
import { NotFoundError, translateError, UserError } from './errors';

afterEach(() => vi.restoreAllMocks());

describe('translateError: one table of what is shown and what is logged', () => {
  it('shows a UserError as it is, with its field errors, on every surface; nothing is logged', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const e = new UserError('Check the highlighted fields.', { url: ['Use https.'] });
    expect(translateError(e, 'action')).toEqual({ kind: 'invalid', status: 422, message: 'Check the highlighted fields.', fieldErrors: { url: ['Use https.'] }, log: null });
    expect(translateError(e, 'api')).toMatchObject({ kind: 'invalid', status: 422 });
    expect(translateError(new UserError('Reused.', {}, 'conflict'), 'api')).toMatchObject({ kind: 'conflict', status: 409 });
    expect(translateError(new UserError('Too big.', {}, 'too_large'), 'api')).toMatchObject({ kind: 'too_large', status: 413 });
    expect(translateError(new NotFoundError('Endpoint'), 'api')).toMatchObject({ kind: 'not_found', status: 404, message: 'Endpoint not found.' });
    // the internal routes answer 400, and 404 for "not found"
    expect(translateError(e, 'internal')).toMatchObject({ kind: 'invalid', status: 400 });
    expect(translateError(new NotFoundError('Delivery'), 'internal')).toMatchObject({ status: 404, message: 'Delivery not found.' });
    expect(log).not.toHaveBeenCalled();
  });

  it('says why a refusal happened: the role in actions, the key in the API, the platform reason everywhere', () => {
    const role = new ForbiddenError('endpoints.delete');
    expect(translateError(role, 'action')).toMatchObject({ kind: 'forbidden', status: 403, message: 'Your role does not allow this (endpoints.delete needs admin or above).', log: null });
    expect(translateError(role, 'api').message).toBe("This API key's role does not allow this: endpoints.delete needs admin or above. Use a key with a higher role.");
    const capped = new ForbiddenError('members.write', 'Managed by the platform.');
    expect(translateError(capped, 'api').message).toBe('Managed by the platform.');
    expect(translateError(capped, 'action').message).toBe('Managed by the platform.');
  });

  it('logs anything unexpected once, as "<where> failed", and shows each surface its generic sentence, never the error', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const bug = () => new TypeError('cannot read secret_whsec of undefined');
    const action = translateError(bug(), 'action', 'server action');
    expect(action).toMatchObject({ kind: 'internal', status: 500, message: 'Something went wrong on our side. Try again; if it keeps happening, check the server log.' });
    expect(translateError(bug(), 'sign-in').message).toBe('Something went wrong on our side. Try again in a moment.');
    expect(translateError(bug(), 'api', 'api: GET /x').message).toBe('Internal error');
    expect(translateError(bug(), 'internal').message).toBe('Internal error');
    expect(log).toHaveBeenCalledTimes(4);
    expect(String(log.mock.calls[0])).toMatch(/^server action failed: TypeError: cannot read/);
    expect(String(log.mock.calls[2])).toMatch(/^api: GET \/x failed: /);
    expect(action.log).toBe(String(log.mock.calls[0]));
  });

  it('never logs a failed query\'s parameters', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const query = Object.assign(new Error('Failed query: select $1 params: whsec_SECRET'), { query: 'select $1', params: ['whsec_SECRET'], cause: new Error('relation "x" does not exist') });
    const t = translateError(query, 'action');
    expect(t.log).toMatch(/query failed: relation "x" does not exist/);
    expect(t.log).not.toContain('SECRET');
    expect(t.message).not.toContain('SECRET');
  });

  it('tells the database away from a bug: 503, and the API says when to retry', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(translateError(down, 'api')).toMatchObject({ kind: 'unavailable', status: 503, message: expect.stringMatching(/Retry after Retry-After seconds/) });
    expect(translateError(down, 'action')).toMatchObject({ kind: 'unavailable', message: 'Something went wrong on our side. Try again; if it keeps happening, check the server log.' });
    expect(translateError(down, 'action').log).toMatch(/^action: database unavailable: /);
  });
});
