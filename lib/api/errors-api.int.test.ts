import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { useTestDb } from '@/test/suite';
import { deliveries, endpoints } from '@/db/schema';
import { setEnv } from '@/lib/env';
import { revokeApiKey } from './keys';
import { defineRoute } from './define';
import { resetRateLimits } from './rate-limit';
import { route as apiRoute } from './pipeline';
import { apiCaller, call, makeApiOrg } from '@/test/api';

const h = useTestDb();
let a: Awaited<ReturnType<typeof makeApiOrg>>;

beforeAll(async () => {
  setEnv({ WEBHOOK_ALLOW_PRIVATE_TARGETS: true });
  a = await makeApiOrg(h.db);
});
afterEach(() => {
  setEnv({ API_RATE_LIMIT_PER_MINUTE: 6000 });
  resetRateLimits();
  vi.restoreAllMocks();
});

describe('401: missing, malformed, unknown or revoked keys', () => {
  it('answers 401 with a JSON error and WWW-Authenticate, and does nothing', async () => {
    const cases = [
      await call('GET', '/event-types'),
      await call('GET', '/event-types', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }),
      await call('GET', '/event-types', { key: 'hr_' + 'x'.repeat(32) }),
      await call('POST', '/events', { key: 'not-a-key', body: { type: 'compound.created', data: {} } }),
    ];
    for (const r of cases) {
      expect(r.status).toBe(401);
      expect(r.body.error).toEqual({ code: 'unauthorized', message: expect.stringMatching(/Authorization: Bearer/) });
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('a revoked key is refused at once', async () => {
    const b = await makeApiOrg(h.db);
    expect((await call('GET', '/event-types', { key: b.developerKey })).status).toBe(200);
    await revokeApiKey(b.actors.admin, b.developerKeyId);
    const r = await call('GET', '/event-types', { key: b.developerKey });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthorized');
  });
});

describe('403: the role does not allow it', () => {
  it('a developer key may not delete endpoints; nothing changes', async () => {
    const made = await call('POST', '/endpoints', { key: a.adminKey, body: { url: 'https://127.0.0.1:9443/x', eventTypes: ['*'] } });
    const id = made.body.endpoint.id;
    const r = await call('DELETE', `/endpoints/${id}`, { key: a.developerKey });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('forbidden');
    expect(await h.db.select().from(endpoints).where(eq(endpoints.id, id))).toHaveLength(1);
  });
});

describe('409: conflicts the caller can resolve', () => {
  it('a test event to a disabled endpoint, and a replay while an attempt is under way', async () => {
    const made = await call('POST', '/endpoints', { key: a.adminKey, body: { url: 'https://127.0.0.1:9443/y', eventTypes: ['*'] } });
    const id = made.body.endpoint.id;
    const ev = await call('POST', '/events', { key: a.adminKey, body: { type: 'compound.created', data: { id: 'c', name: 'n', category: 'x', efficacy: 0.5 } } });
    const [d] = await h.db.select().from(deliveries).where(eq(deliveries.eventId, ev.body.id)).limit(1);
    await h.db.update(deliveries).set({ status: 'delivering' }).where(eq(deliveries.id, d.id));
    const busy = await call('POST', `/deliveries/${d.id}/replay`, { key: a.adminKey });
    expect(busy.status).toBe(409);
    await h.db.update(endpoints).set({ enabled: false }).where(eq(endpoints.id, id));
    const disabled = await call('POST', `/endpoints/${id}/test`, { key: a.adminKey, body: { type: 'compound.created' } });
    expect(disabled.status).toBe(409);
    expect(disabled.body.error.message).toMatch(/disabled/);
  });
});

describe('429: over the per-key rate limit', () => {
  it('answers 429 with Retry-After once a key is over API_RATE_LIMIT_PER_MINUTE; other keys go on', async () => {
    setEnv({ API_RATE_LIMIT_PER_MINUTE: 3 });
    for (let i = 0; i < 3; i++) {
      const ok = await call('GET', '/event-types', { key: a.developerKey });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-ratelimit-remaining')).toBe(String(2 - i));
    }
    const limited = await call('GET', '/event-types', { key: a.developerKey });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    const retry = Number(limited.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect((await call('GET', '/event-types', { key: a.adminKey })).status).toBe(200);
  });
});

describe('500: unexpected errors', () => {
  it('answer a bare internal error; the detail goes to the server log without query parameters', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const route = defineRoute({ method: 'GET', path: '/boom', operationId: 'boom', tag: 't', permission: 'webhooks.read', summary: 's', response: { status: 200, description: 'd' } });
    const boom = apiRoute(route, async () => {
      await h.db.execute(sql`select ${'whsec_SECRETVALUE'}::text from no_such_table`);
    });
    const r = await apiCaller([boom])('GET', '/boom', { key: a.developerKey });
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error: { code: 'internal', message: 'Internal error' } });
    expect(log).toHaveBeenCalledTimes(1);
    const logged = log.mock.calls[0]!.map(String).join(' ');
    expect(logged).toMatch(/GET \/api\/v1\/boom/);
    expect(logged).toMatch(/no_such_table/);
    expect(logged).not.toContain('SECRETVALUE');
  });

  it('an answer that does not match its documented schema is a 500, never sent', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const route = defineRoute({
      method: 'GET', path: '/shape', operationId: 'shape', tag: 't', permission: 'webhooks.read', summary: 's',
      response: { status: 200, description: 'd', schema: (await import('./schemas')).publishResult },
    });
    const wrong = apiRoute(route, async () => ({ id: 'evt_1', deliveries: 'many' }) as never);
    expect((await apiCaller([wrong])('GET', '/shape', { key: a.developerKey })).status).toBe(500);
  });
});
