import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDb } from '@/test/db';
import type { DbHandle } from '@/db/client';
import { actorCan, ForbiddenError, type Actor, type Permission } from '@/lib/auth/permissions';
import { NotFoundError } from '@/lib/errors';
import type { Role } from '@/db/schema';
import { createEndpoint, deleteEndpoint, revealEndpointHeaders, setEndpointEnabled, setEndpointPaused, updateEndpoint } from './endpoints';
import { endGracePeriod, revealSecrets, rotateSecret } from './secrets';
import { createEventType, setEventTypeDeprecated, updateEventType } from './event-types';
import { addMember, changeRole, removeMember } from '@/lib/orgs/members';
import { errorOf, makeOrg, makeUser, publicResolver } from '@/test/factories';
import { publishEvent, sendTestEvent } from './events';
import { publishEvents } from './publish-batch';
import { replayDelivery, replayFailed, replaySkipped } from './deliveries';
import { checkEndpoint } from './check-endpoint';
import type { Sender } from '@/lib/delivery/sender';
import { endAlertWebhookGrace, revealAlertWebhookSecrets, rotateAlertWebhookSecret, saveAlertSettings } from '@/lib/alerts/settings';
import { createApiKey, revokeApiKey } from '@/lib/api/keys';
import { changePassword, signOutEverywhere } from '@/lib/auth/account';

let h: DbHandle;
let a: Awaited<ReturnType<typeof makeOrg>>;
let b: Awaited<ReturnType<typeof makeOrg>>;
let endpointId: string;
let outsider: { id: string; email: string };
let f: Fixture;
const opts = { resolve: publicResolver };
const newType = { name: 'matrix.created', schema: { type: 'object' }, sample: {} };
const since = new Date(Date.now() - 3600_000);
const compound = { id: 'c-1', name: 'n', category: 'c', efficacy: 0.5 };
// checkEndpoint's probes go to this sender, never the network.
const sender: Sender = { send: async () => ({ ok: true, status: 204, latencyMs: 1 }), close: async () => {} };

// What the writes aim at in one organization: an endpoint with a grace period, a custom event type, a delivery, an
// API key and an operational webhook.
type Fixture = { endpointId: string; deliveryId: string; apiKeyId: string };
async function fixture(org: Awaited<ReturnType<typeof makeOrg>>): Promise<Fixture> {
  const owner = org.actors.owner;
  const { endpoint } = await createEndpoint(owner, { url: 'https://hooks.example.com/a', eventTypes: ['*'], headers: { 'X-Team': 'a' } }, opts);
  await rotateSecret(owner, endpoint.id, 3600); // a grace period that endGracePeriod could end
  await createEventType(owner, { name: 'custom.only_in_a', schema: { type: 'object' }, sample: {} });
  const { deliveryId } = await sendTestEvent(owner, endpoint.id, 'compound.created');
  const { apiKey } = await createApiKey(owner, { name: 'matrix', role: 'developer' });
  await saveAlertSettings(owner, { emails: ['ops@example.com'], webhookUrl: 'https://hooks.example.com/ops' }, opts);
  await rotateAlertWebhookSecret(owner, 3600);
  return { endpointId: endpoint.id, deliveryId, apiKeyId: apiKey.id };
}

beforeAll(async () => {
  h = await createTestDb();
  a = await makeOrg(h.db);
  b = await makeOrg(h.db, ['owner']);
  outsider = await makeUser(h.db);
  f = await fixture(a);
  endpointId = f.endpointId;
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

// Each function in lib/ that takes an Actor and changes data (or reveals a secret, audited), aimed at the rows of
// fixture `t` (organization A's unless told), with the permission it checks.
type Mutation = { name: string; permission: Permission; targetsRow: boolean; run: (actor: Actor, t?: Fixture) => Promise<unknown> };
const mutations: Mutation[] = [
  { name: 'createEndpoint', permission: 'webhooks.write', targetsRow: false, run: (x) => createEndpoint(x, { url: 'https://hooks.example.com/new', eventTypes: ['*'] }, opts) },
  { name: 'updateEndpoint', permission: 'webhooks.write', targetsRow: true, run: (x, t = f) => updateEndpoint(x, t.endpointId, { description: 'hijacked' }, opts) },
  { name: 'deleteEndpoint', permission: 'endpoints.delete', targetsRow: true, run: (x, t = f) => deleteEndpoint(x, t.endpointId) },
  { name: 'setEndpointEnabled(false)', permission: 'webhooks.write', targetsRow: true, run: (x, t = f) => setEndpointEnabled(x, t.endpointId, false) },
  { name: 'revealSecrets', permission: 'secrets.reveal', targetsRow: true, run: (x, t = f) => revealSecrets(x, t.endpointId) },
  { name: 'rotateSecret', permission: 'secrets.rotate', targetsRow: true, run: (x, t = f) => rotateSecret(x, t.endpointId, 0) },
  { name: 'endGracePeriod', permission: 'secrets.rotate', targetsRow: true, run: (x, t = f) => endGracePeriod(x, t.endpointId) },
  { name: 'createEventType', permission: 'event-types.write', targetsRow: false, run: (x) => createEventType(x, newType) },
  { name: 'updateEventType', permission: 'event-types.write', targetsRow: true, run: (x) => updateEventType(x, 'custom.only_in_a', { description: 'hijacked' }) },
  { name: 'setEventTypeDeprecated', permission: 'event-types.write', targetsRow: true, run: (x) => setEventTypeDeprecated(x, 'custom.only_in_a', true) },
  { name: 'addMember', permission: 'members.write', targetsRow: false, run: (x) => addMember(x, outsider.email, 'viewer') },
  { name: 'changeRole', permission: 'members.write', targetsRow: true, run: (x) => changeRole(x, memberOf(x, 'developer'), 'admin') },
  { name: 'removeMember', permission: 'members.write', targetsRow: true, run: (x) => removeMember(x, memberOf(x, 'developer')) },
  { name: 'setEndpointPaused(true)', permission: 'webhooks.write', targetsRow: true, run: (x, t = f) => setEndpointPaused(x, t.endpointId, true) },
  { name: 'revealEndpointHeaders', permission: 'secrets.reveal', targetsRow: true, run: (x, t = f) => revealEndpointHeaders(x, t.endpointId) },
  { name: 'publishEvent', permission: 'events.publish', targetsRow: false, run: (x) => publishEvent(x, 'compound.created', compound) },
  { name: 'publishEvents', permission: 'events.publish', targetsRow: false, run: (x) => publishEvents(x, [{ type: 'compound.created', data: compound }]) },
  { name: 'sendTestEvent', permission: 'events.test', targetsRow: true, run: (x, t = f) => sendTestEvent(x, t.endpointId, 'compound.created') },
  { name: 'replayDelivery', permission: 'events.test', targetsRow: true, run: (x, t = f) => replayDelivery(x, t.deliveryId) },
  { name: 'replayFailed', permission: 'events.test', targetsRow: true, run: (x, t = f) => replayFailed(x, t.endpointId, since) },
  { name: 'replaySkipped', permission: 'events.test', targetsRow: true, run: (x, t = f) => replaySkipped(x, t.endpointId, since) },
  { name: 'checkEndpoint', permission: 'events.test', targetsRow: true, run: (x, t = f) => checkEndpoint(x, t.endpointId, { sender }) },
  { name: 'saveAlertSettings', permission: 'alerts.write', targetsRow: false, run: (x) => saveAlertSettings(x, { emails: ['hijack@example.com'], webhookUrl: '' }, opts) },
  { name: 'revealAlertWebhookSecrets', permission: 'alerts.write', targetsRow: false, run: (x) => revealAlertWebhookSecrets(x) },
  { name: 'rotateAlertWebhookSecret', permission: 'alerts.write', targetsRow: false, run: (x) => rotateAlertWebhookSecret(x, 0) },
  { name: 'endAlertWebhookGrace', permission: 'alerts.write', targetsRow: false, run: (x) => endAlertWebhookGrace(x) },
  { name: 'createApiKey', permission: 'api-keys.write', targetsRow: false, run: (x) => createApiKey(x, { name: 'hijack', role: 'developer' }) },
  { name: 'revokeApiKey', permission: 'api-keys.write', targetsRow: true, run: (x, t = f) => revokeApiKey(x, t.apiKeyId) },
];
// Writes every member may make, on their own account only.
const accountWrites: Mutation[] = [
  { name: 'changePassword', permission: 'account.write', targetsRow: false, run: (x) => changePassword(x, { currentPassword: 'wrong', newPassword: 'a-new-long-password', confirmPassword: 'a-new-long-password' }) },
  { name: 'signOutEverywhere', permission: 'account.write', targetsRow: false, run: (x) => signOutEverywhere(x) },
];

// The developer of the actor's organization (A's developer for an outsider, who must not reach it).
const orgs = new Map<string, Awaited<ReturnType<typeof makeOrg>>>();
function memberOf(x: Actor, role: Role): string {
  return (orgs.get(x.orgId) ?? a).actors[role].id;
}

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

  const ROLES: Role[] = ['viewer', 'developer', 'admin', 'owner'];
  const cells = [...mutations, ...accountWrites].flatMap((m) => ROLES.map((role) => ({ ...m, role, allowed: actorCan({ role, kind: 'user' }, m.permission) })));
  it.each(cells)('$name by a $role: allowed=$allowed (refused with ForbiddenError and no change otherwise)', async ({ run, role, allowed }) => {
    // a fresh organization for each cell, so that one write cannot spoil another's target
    const org = await makeOrg(h.db);
    orgs.set(org.orgId, org);
    const t = await fixture(org);
    const before = await dump(org.orgId);
    const error = await errorOf(run(org.actors[role], t));
    if (allowed) {
      expect(error).not.toBeInstanceOf(ForbiddenError);
    } else {
      expect(error).toBeInstanceOf(ForbiddenError);
      expect(await dump(org.orgId)).toEqual(before);
    }
  });

  it('the same calls by A\'s owner do change A (the matrix can fail)', async () => {
    const before = await dump(a.orgId);
    await updateEndpoint(a.actors.owner, endpointId, { description: 'changed' }, opts);
    await setEventTypeDeprecated(a.actors.owner, 'custom.only_in_a', true);
    await changeRole(a.actors.owner, a.actors.developer.id, 'admin');
    expect(await dump(a.orgId)).not.toEqual(before);
  });
});
