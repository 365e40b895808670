import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { createCipheriv, randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { createTestDb } from '@/test/db';
import type { DbHandle } from '@/db/client';
import { newId } from '@/db/ids';
import { attempts, deliveries, endpoints, endpointSecrets, events } from '@/db/schema';
import { env } from '@/lib/env';
import { loadSecrets } from '@/lib/delivery/claim';
import { addEndpoint } from '@/test/delivery';
import { revealSecrets } from '@/lib/webhooks/secrets';
import { revealEndpointHeaders } from '@/lib/webhooks/endpoints';
import { makeOrg } from '@/test/factories';
import { generateSecret } from '@/lib/signing';
import { resealStored } from './reseal';

process.env.DATA_DIR ??= path.resolve('.test-data', `reseal-${randomBytes(4).toString('hex')}`);

let h: DbHandle;
let org: Awaited<ReturnType<typeof makeOrg>>;

// A value as the previous version sealed it: "v1", no associated data.
function sealV1(plaintext: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', Buffer.from(env().WEBHOOK_ENCRYPTION_KEY, 'base64'), iv);
  const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

// An endpoint as the previous version stored it: a v1 secret and plaintext header values.
async function oldEndpoint(headers: Record<string, string>) {
  const id = newId('ep');
  const secret = generateSecret();
  await h.db.insert(endpoints).values({ id, orgId: org.orgId, url: 'https://127.0.0.1:9/x', eventTypes: ['*'], headers });
  await h.db.insert(endpointSecrets).values({ id: newId('whs'), orgId: org.orgId, endpointId: id, sealed: sealV1(secret) });
  return { id, secret };
}

beforeAll(async () => {
  h = await createTestDb();
  org = await makeOrg(h.db);
});
afterAll(async () => h?.close());

describe('sealed values at rest', () => {
  it('re-seals old-format secrets and plaintext header values once, also with several processes at once', async () => {
    const a = await oldEndpoint({ Authorization: 'Bearer old-token', 'X-Tenant': 'acme' });
    const b = await oldEndpoint({});
    const unreadable = newId('whs');
    await h.db.insert(endpointSecrets).values({ id: unreadable, orgId: org.orgId, endpointId: b.id, sealed: sealV1('x').replace(/^v1\.[^.]+/, 'v1.' + randomBytes(12).toString('base64url')) });
    const reports = await Promise.all([resealStored(h.db), resealStored(h.db), resealStored(h.db)]);
    expect(reports.reduce((n, r) => n + r.secrets, 0)).toBe(2);
    expect(reports.reduce((n, r) => n + r.headers, 0)).toBe(1);
    expect(reports.every((r) => r.unreadable === 1)).toBe(true);
    const [row] = await h.db.select().from(endpoints).where(eq(endpoints.id, a.id));
    expect(Object.values(row!.headers).every((v) => v.startsWith('v2.'))).toBe(true);
    expect(JSON.stringify(row!.headers)).not.toContain('old-token');
    expect(await revealEndpointHeaders(org.actors.developer, a.id)).toEqual({ Authorization: 'Bearer old-token', 'X-Tenant': 'acme' });
    expect((await revealSecrets(org.actors.developer, a.id)).map((s) => s.secret)).toEqual([a.secret]);
    const again = await resealStored(h.db);
    expect(again).toEqual({ secrets: 0, headers: 0, unreadable: 1 });
    const [after] = await h.db.select().from(endpoints).where(eq(endpoints.id, a.id));
    expect(after!.headers).toEqual(row!.headers); // the second run changed nothing
  });

  it('a sealed secret or header value moved to another endpoint does not open there', async () => {
    const a = await addEndpoint(h.db, org.orgId, 'https://127.0.0.1:9/a', { headers: { Authorization: 'Bearer a-token' } });
    const b = await addEndpoint(h.db, org.orgId, 'https://127.0.0.1:9/b', { headers: { Authorization: 'Bearer b-token' } });
    const [secretA] = await h.db.select().from(endpointSecrets).where(eq(endpointSecrets.endpointId, a.id));
    const [rowA] = await h.db.select().from(endpoints).where(eq(endpoints.id, a.id));
    // someone with write access to the database copies A's sealed values onto B
    await h.db.update(endpointSecrets).set({ sealed: secretA!.sealed }).where(eq(endpointSecrets.endpointId, b.id));
    await h.db.update(endpoints).set({ headers: rowA!.headers }).where(eq(endpoints.id, b.id));
    await expect(revealSecrets(org.actors.developer, b.id)).rejects.toThrow();
    expect((await loadSecrets(h.db, [a.id, b.id], Date.now())).get(b.id)).toEqual([]); // B signs with nothing of A's
    expect((await loadSecrets(h.db, [a.id], Date.now())).get(a.id)).toEqual([a.secret]);
    expect(await revealEndpointHeaders(org.actors.developer, b.id)).toEqual({}); // not sent, not shown
    expect(await revealEndpointHeaders(org.actors.developer, a.id)).toEqual({ Authorization: 'Bearer a-token' });
  });

  it("the migration masks custom header values of attempts recorded before, keeping Hookrelay's own headers", async () => {
    const ep = await addEndpoint(h.db, org.orgId, 'https://127.0.0.1:9/m');
    const evt = newId('evt');
    await h.db.insert(events).values({ id: evt, orgId: org.orgId, type: 'compound.created', data: '{}' });
    const dlv = newId('dlv');
    await h.db.insert(deliveries).values({ id: dlv, orgId: org.orgId, eventId: evt, endpointId: ep.id, eventType: 'compound.created' });
    const sent = { 'X-Api-Key': 'key-123', 'content-type': 'application/json', 'webhook-id': evt, 'webhook-signature': 'v1,abc' };
    await h.db.insert(attempts).values({ id: newId('att'), orgId: org.orgId, deliveryId: dlv, number: 1, startedAt: new Date(), requestHeaders: sent });
    const file = readFileSync(path.resolve('db/migrations/0002_account_sessions.sql'), 'utf8');
    const handWritten = file.slice(file.indexOf('-- hand-written'));
    for (const stmt of handWritten.split('--> statement-breakpoint')) if (stmt.replace(/--.*$/gm, '').trim()) await h.db.execute(sql.raw(stmt));
    const [row] = await h.db.select().from(attempts).where(eq(attempts.deliveryId, dlv));
    expect(row!.requestHeaders).toEqual({ ...sent, 'X-Api-Key': '••••••' });
  });
});
