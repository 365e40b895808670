import { describe, expect, it } from 'vitest';
import { defineRoute } from './define';
import { isApiUrl } from './http';
import { route, type ApiRequest } from './pipeline';
import { createRouter } from './router';

const seen: Record<string, string>[] = [];
const table = [
  route(defineRoute({ method: 'GET', path: '/things/{id}', operationId: 'getThing', tag: 't', permission: null, summary: 's', response: { status: 204, description: 'd' } }), async ({ params }) => {
    seen.push(params);
  }),
  route(defineRoute({ method: 'DELETE', path: '/things/{id}', operationId: 'deleteThing', tag: 't', permission: null, summary: 's', response: { status: 204, description: 'd' } }), async () => {}),
];
const dispatch = createRouter(table);
const req = (method: string, url: string): ApiRequest => ({ method, url, headers: {}, origin: 'http://test', readBody: async () => undefined });

describe('the API router', () => {
  it('finds a route by method and path, with decoded parameters, HEAD as GET and a trailing slash ignored', async () => {
    expect((await dispatch(req('GET', '/api/v1/things/a%2Fb?x=1'))).status).toBe(204);
    expect((await dispatch(req('HEAD', '/api/v1/things/t1/'))).status).toBe(204);
    expect(seen).toEqual([{ id: 'a/b' }, { id: 't1' }]);
  });

  it('answers an unknown path 404 and another method 405 with Allow, both as JSON errors', async () => {
    const missing = await dispatch(req('GET', '/api/v1/nothing'));
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body!).error).toEqual({ code: 'not_found', message: expect.stringMatching(/openapi\.json/) });
    const wrong = await dispatch(req('PATCH', '/api/v1/things/t1'));
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET, DELETE');
    expect(JSON.parse(wrong.body!).error.code).toBe('method_not_allowed');
    const options = await dispatch(req('OPTIONS', '/api/v1/things/t1'));
    expect(options).toMatchObject({ status: 204, headers: { allow: 'GET, DELETE' } });
  });

  it('claims /api/v1 and below only; everything else goes to Next', () => {
    for (const url of ['/api/v1', '/api/v1/', '/api/v1/events', '/api/v1?x=1']) expect(isApiUrl(url), url).toBe(true);
    for (const url of ['/', '/api/v10', '/api/v1x/events', '/api/health', '/settings/api-keys', undefined]) expect(isApiUrl(url), String(url)).toBe(false);
  });
});
