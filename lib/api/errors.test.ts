import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ForbiddenError } from '@/lib/auth/permissions';
import { NotFoundError, UserError } from '@/lib/errors';
import { ApiError, errorResponse, toApiError, zodProblems } from './errors';

describe('API errors', () => {
  it('map what lib/ throws to the documented codes and statuses', () => {
    expect(toApiError(new ForbiddenError('endpoints.delete'), 'x')).toMatchObject({ code: 'forbidden', status: 403 });
    expect(toApiError(new NotFoundError('Endpoint'), 'x')).toMatchObject({ code: 'not_found', status: 404, message: 'Endpoint not found.' });
    expect(toApiError(new UserError('Too big.', { data: ['Too big.'] }, 'too_large'), 'x')).toMatchObject({ code: 'too_large', status: 413, details: undefined });
    expect(toApiError(new UserError('Reused.', { idempotencyKey: ['Reused.'] }, 'conflict'), 'x')).toMatchObject({ code: 'conflict', status: 409, details: undefined });
    const invalid = toApiError(new UserError('Check the highlighted fields.', { url: ['Use https.', 'No credentials.'] }), 'x');
    expect(invalid).toMatchObject({ code: 'validation_failed', status: 422 });
    expect(invalid.details).toEqual([{ path: 'body.url', message: 'Use https.' }, { path: 'body.url', message: 'No credentials.' }]);
  });

  it('answer anything unexpected as a bare 500 and log it', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const e = toApiError(new TypeError('cannot read x of undefined'), 'GET /api/v1/x');
    expect(e).toMatchObject({ code: 'internal', status: 500, message: 'Internal error' });
    expect(String(log.mock.calls[0])).toMatch(/GET \/api\/v1\/x failed.*cannot read x/s);
    const res = errorResponse(e);
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body!)).toEqual({ error: { code: 'internal', message: 'Internal error' } });
    log.mockRestore();
  });

  it('locate zod problems under body, query or header', () => {
    const r = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: 'x' } });
    expect(zodProblems(r.error!, 'query')).toEqual([{ path: 'query.a.b', message: expect.any(String) }]);
    const res = errorResponse(new ApiError('rate_limited', 'Slow down.', undefined, { 'retry-after': '7' }));
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
  });
});
