import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDb } from '../../test/db';
import type { DbHandle } from '../../db/client';
import { ForbiddenError, type Actor } from '../auth/permissions';
import { NotFoundError } from '../errors';
import { createEndpoint, deleteEndpoint, setEndpointEnabled, updateEndpoint } from './endpoints';
import { endGracePeriod, revealSecrets, rotateSecret } from './secrets';
import { createEventType, setEventTypeDeprecated, updateEventType } from './event-types';
import { addMember, changeRole, removeMember } from './members';
import { errorOf, makeOrg, makeUser, publicResolver } from '../../test/factories';

let h: DbHandle;
let a: Awaited<ReturnType<typeof makeOrg>>;
let b: Awaited<ReturnType<typeof makeOrg>>;
let endpointId: string;
let outsider: { id: string; email: string };
const opts = { resolve: publicResolver };
const newType = { name: 'matrix.created', schema: { type: 'object' }, sample: {} };

beforeAll(async () => {
  h = await createTestDb();
  a = await makeOrg(h.db);
  b = await makeOrg(h.db, ['owner']);
  outsider = await makeUser(h.db);
  const { endpoint } = await createEndpoint(a.actors.owner, { url: 'https://hooks.example.com/a', eventTypes: ['*'] }, opts);
  endpointId = endpoint.id;
  await rotateSecret(a.actors.owner, endpointId, 3600); // a grace period that endGracePeriod could end
  await createEventType(a.actors.owner, { name: 'custom.only_in_a', schema: { type: 'object' }, sample: {} });
});
afterAll(async () => h?.close());

// Every row of every table as JSON text, sorted; `orgId` limits it to that organization's rows (and the users).
async function dump(orgId?: string): Promise<string[]> {
  const r = await h.db.execute(sql`
    select t.table_name, exists (
      select 1 from information_schema.columns c
      where c.table_schema = 'public' and c.table_name = t.table_name and c.column_name = 'org_id'
    ) as has_org
    from information_schema.tables t where t.table_schema = 'public' and t.table_type = 'BASE TABLE'`);
  const out: string[] = [];
  for (const { table_name: t, has_org } of (r as unknown as { rows: { table_name: string; has_org: boolean }[] }).rows) {
    const col = t === 'organizations' ? 'id' : has_org ? 'org_id' : null;
    const where = orgId && col ? sql` where ${sql.identifier(col)} = ${orgId}` : sql``;
    const rows = await h.db.execute(sql`select ${t}::text || ' ' || row_to_json(x)::text as j from ${sql.identifier(t)} x${where}`);
    out.push(...(rows as unknown as { rows: { j: string }[] }).rows.map((x) => x.j));
  }
  expect(out.length).toBeGreaterThan(10);
  return out.sort();
}

// Each function that changes data, aimed at organization A's rows.
const mutations: { name: string; targetsRow: boolean; run: (actor: Actor) => Promise<unknown> }[] = [
  { name: 'createEndpoint', targetsRow: false, run: (x) => createEndpoint(x, { url: 'https://hooks.example.com/new', eventTypes: ['*'] }, opts) },
  { name: 'updateEndpoint', targetsRow: true, run: (x) => updateEndpoint(x, endpointId, { description: 'hijacked' }, opts) },
  { name: 'deleteEndpoint', targetsRow: true, run: (x) => deleteEndpoint(x, endpointId) },
  { name: 'setEndpointEnabled(false)', targetsRow: true, run: (x) => setEndpointEnabled(x, endpointId, false) },
  { name: 'revealSecrets', targetsRow: true, run: (x) => revealSecrets(x, endpointId) },
  { name: 'rotateSecret', targetsRow: true, run: (x) => rotateSecret(x, endpointId, 0) },
  { name: 'endGracePeriod', targetsRow: true, run: (x) => endGracePeriod(x, endpointId) },
  { name: 'createEventType', targetsRow: false, run: (x) => createEventType(x, newType) },
  { name: 'updateEventType', targetsRow: true, run: (x) => updateEventType(x, 'custom.only_in_a', { description: 'hijacked' }) },
  { name: 'setEventTypeDeprecated', targetsRow: true, run: (x) => setEventTypeDeprecated(x, 'custom.only_in_a', true) },
  { name: 'addMember', targetsRow: false, run: (x) => addMember(x, outsider.email, 'viewer') },
  { name: 'changeRole', targetsRow: true, run: (x) => changeRole(x, a.actors.developer.id, 'admin') },
  { name: 'removeMember', targetsRow: true, run: (x) => removeMember(x, a.actors.developer.id) },
];

describe('authorization matrix', () => {
  it.each(mutations)('$name: a viewer is refused and nothing changes anywhere', async ({ run }) => {
    const before = await dump();
    expect(await errorOf(run(a.actors.viewer))).toBeInstanceOf(ForbiddenError);
    expect(await dump()).toEqual(before);
  });

  it.each(mutations)("$name: an owner of another organization cannot reach organization A's rows", async ({ run, targetsRow }) => {
    const before = await dump(a.orgId);
    const result = await errorOf(run(b.actors.owner));
    if (targetsRow) expect(result).toBeInstanceOf(NotFoundError);
    expect(await dump(a.orgId)).toEqual(before);
  });

  it('the same calls by A\'s owner do change A (the matrix can fail)', async () => {
    const before = await dump(a.orgId);
    await updateEndpoint(a.actors.owner, endpointId, { description: 'changed' }, opts);
    await setEventTypeDeprecated(a.actors.owner, 'custom.only_in_a', true);
    await changeRole(a.actors.owner, a.actors.developer.id, 'admin');
    expect(await dump(a.orgId)).not.toEqual(before);
  });
});
