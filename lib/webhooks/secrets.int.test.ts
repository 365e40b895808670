import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestDb } from '@/test/db';
import type { DbHandle } from '@/db/client';
import { endpointSecrets } from '@/db/schema';
import { createEndpoint } from './endpoints';
import { endGracePeriod, listSecretsMasked, revealSecrets, rotateSecret, vendorHeaderCutover } from './secrets';
import { listAuditLog } from '@/lib/audit/log';
import { ForbiddenError } from '@/lib/auth/permissions';
import { UserError } from '@/lib/errors';
import { errorOf, makeOrg, publicResolver } from '@/test/factories';

let h: DbHandle;
let org: Awaited<ReturnType<typeof makeOrg>>;
const input = { url: 'https://hooks.example.com/webhooks', eventTypes: ['*'], format: 'axifi' as const };

beforeAll(async () => {
  h = await createTestDb();
  org = await makeOrg(h.db);
});
afterAll(async () => h?.close());

const rowsOf = (endpointId: string) => h.db.select().from(endpointSecrets).where(eq(endpointSecrets.endpointId, endpointId));

describe('secrets', () => {
  it('masks until revealed; a reveal shows the secret and is audited', async () => {
    const { endpoint, secret } = await createEndpoint(org.actors.developer, input, { resolve: publicResolver });
    const masked = await listSecretsMasked(org.orgId, endpoint.id);
    expect(masked).toEqual([{ id: expect.any(String), createdAt: expect.any(Date), expiresAt: null, masked: `whsec_••••••••${secret.slice(-4)}` }]);
    expect(await errorOf(revealSecrets(org.actors.viewer, endpoint.id))).toBeInstanceOf(ForbiddenError);
    expect(await revealSecrets(org.actors.developer, endpoint.id)).toEqual([{ secret, createdAt: masked[0]!.createdAt, expiresAt: null }]);
    const [audit] = (await listAuditLog(org.orgId, { limit: 1 })).data;
    expect(audit).toMatchObject({ action: 'secret.revealed', target: endpoint.id, actor: org.actors.developer.label });
    expect(JSON.stringify(audit)).not.toContain('whsec_');
    expect(await vendorHeaderCutover(org.orgId, endpoint.id)).toEqual({ signsWith: 'current', until: null });
  });

  it('rotates with a grace period, keeping at most two live secrets, newest first; ending the grace leaves one', async () => {
    const { endpoint, secret: first } = await createEndpoint(org.actors.developer, input, { resolve: publicResolver });
    expect(await errorOf(rotateSecret(org.actors.developer, endpoint.id))).toBeInstanceOf(ForbiddenError);

    const t0 = Date.now();
    const r1 = await rotateSecret(org.actors.admin, endpoint.id, 3600);
    expect(r1.secret).toMatch(/^whsec_/);
    expect(r1.secret).not.toBe(first);
    expect(r1.previousGraceEndsAt!.getTime()).toBeGreaterThanOrEqual(t0 + 3600_000);
    expect(r1.previousGraceEndsAt!.getTime()).toBeLessThan(Date.now() + 3600_000 + 1000);
    let live = await revealSecrets(org.actors.admin, endpoint.id);
    expect(live.map((s) => s.secret)).toEqual([r1.secret, first]);
    expect(live.map((s) => s.expiresAt)).toEqual([null, r1.previousGraceEndsAt]);
    expect(await vendorHeaderCutover(org.orgId, endpoint.id)).toEqual({ signsWith: 'previous', until: r1.previousGraceEndsAt });

    // Rotating again during the grace period ends the older grace at once.
    const r2 = await rotateSecret(org.actors.admin, endpoint.id); // default: 24 h
    expect(r2.previousGraceEndsAt!.getTime() - Date.now()).toBeGreaterThan(86_400_000 - 5000);
    live = await revealSecrets(org.actors.admin, endpoint.id);
    expect(live.map((s) => s.secret)).toEqual([r2.secret, r1.secret]);
    expect(await rowsOf(endpoint.id)).toHaveLength(2);
    expect((await listSecretsMasked(org.orgId, endpoint.id)).map((s) => s.masked)).toEqual([
      `whsec_••••••••${r2.secret.slice(-4)}`,
      `whsec_••••••••${r1.secret.slice(-4)}`,
    ]);
    const [rotated] = (await listAuditLog(org.orgId, { limit: 2 })).data.filter((e) => e.action === 'secret.rotated');
    expect(rotated).toMatchObject({ target: endpoint.id, detail: { graceSeconds: 86_400, olderGraceEnded: true } });

    expect(await endGracePeriod(org.actors.admin, endpoint.id)).toEqual({ ended: 1 });
    expect((await revealSecrets(org.actors.admin, endpoint.id)).map((s) => s.secret)).toEqual([r2.secret]);
    expect(await vendorHeaderCutover(org.orgId, endpoint.id)).toEqual({ signsWith: 'current', until: null });
    expect((await listAuditLog(org.orgId, { limit: 2 })).data.map((e) => e.action)).toEqual(['secret.revealed', 'secret.grace_ended']);
    expect(await endGracePeriod(org.actors.admin, endpoint.id)).toEqual({ ended: 0 });
  });

  it('rotates with no grace (the old secret stops at once) and refuses a grace out of range', async () => {
    const { endpoint } = await createEndpoint(org.actors.developer, input, { resolve: publicResolver });
    const r = await rotateSecret(org.actors.owner, endpoint.id, 0);
    expect(r.previousGraceEndsAt).toBeNull();
    expect((await revealSecrets(org.actors.owner, endpoint.id)).map((s) => s.secret)).toEqual([r.secret]);
    for (const grace of [-1, 604_801, 1.5, Number.NaN]) {
      const e = await errorOf(rotateSecret(org.actors.owner, endpoint.id, grace));
      expect(e).toBeInstanceOf(UserError);
      expect(e!.fieldErrors!.graceSeconds![0]).toMatch(/0 \(end now\) to 604800/);
    }
    expect((await revealSecrets(org.actors.owner, endpoint.id)).map((s) => s.secret)).toEqual([r.secret]);
  });

  it('never returns a secret whose grace has ended, and deletes it lazily', async () => {
    const { endpoint } = await createEndpoint(org.actors.developer, input, { resolve: publicResolver });
    const r = await rotateSecret(org.actors.owner, endpoint.id, 60);
    await h.db.update(endpointSecrets).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(endpointSecrets.expiresAt, r.previousGraceEndsAt!));
    expect(await rowsOf(endpoint.id)).toHaveLength(2);
    expect(await vendorHeaderCutover(org.orgId, endpoint.id)).toEqual({ signsWith: 'current', until: null });
    expect((await listSecretsMasked(org.orgId, endpoint.id)).map((s) => s.expiresAt)).toEqual([null]);
    expect(await rowsOf(endpoint.id)).toHaveLength(1);
  });

  it('leaves no plaintext secret anywhere in the database', async () => {
    const made: string[] = [];
    for (const format of ['standard', 'axifi', 'axle'] as const) {
      const { endpoint, secret } = await createEndpoint(org.actors.owner, { ...input, format }, { resolve: publicResolver });
      made.push(secret, (await rotateSecret(org.actors.owner, endpoint.id, 600)).secret);
      await revealSecrets(org.actors.owner, endpoint.id);
    }
    const tables = await h.db.execute(
      sql`select table_schema, table_name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'`,
    );
    const names = (tables as unknown as { rows: { table_schema: string; table_name: string }[] }).rows;
    expect(names.map((t) => t.table_name)).toEqual(expect.arrayContaining(['endpoint_secrets', 'audit_log', 'endpoints']));
    let dump = '';
    for (const t of names) {
      const r = await h.db.execute(sql.raw(`select row_to_json(t)::text as j from "${t.table_schema}"."${t.table_name}" t`));
      dump += (r as unknown as { rows: { j: string }[] }).rows.map((x) => x.j).join('\n');
    }
    expect(dump).toContain('endpoint.created'); // the dump did read the rows
    expect((await h.db.select().from(endpointSecrets)).length).toBeGreaterThanOrEqual(6);
    expect(dump).not.toContain('whsec_');
    for (const secret of made) expect(dump).not.toContain(secret.slice('whsec_'.length));
  });
});
