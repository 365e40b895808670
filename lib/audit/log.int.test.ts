import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDb } from '@/test/suite';
import { createApiKey, revokeApiKey } from '@/lib/api/keys';
import { createEndpoint, deleteEndpoint } from '@/lib/webhooks/endpoints';
import { revealSecrets, rotateSecret } from '@/lib/webhooks/secrets';
import { auditFacets, listAuditLogView, recordAudit } from './log';
import { makeOrg, publicResolver } from '@/test/factories';

const h = useTestDb();
let org: Awaited<ReturnType<typeof makeOrg>>;
let other: Awaited<ReturnType<typeof makeOrg>>;

beforeAll(async () => {
  org = await makeOrg(h.db);
  other = await makeOrg(h.db);
});

describe('audit log as shown', () => {
  it('names targets (endpoint URL, key name) and says what happened in a sentence, also once the target is gone', async () => {
    const url = 'https://hooks.example.com/audit';
    const { endpoint } = await createEndpoint(org.actors.developer, { url, eventTypes: ['compound.created'], format: 'standard' }, { resolve: publicResolver });
    await revealSecrets(org.actors.developer, endpoint.id);
    await rotateSecret(org.actors.admin, endpoint.id, 86_400);
    const { apiKey } = await createApiKey(org.actors.owner, { name: 'Billing service', role: 'developer' });
    await revokeApiKey(org.actors.owner, apiKey.id);

    const { data } = await listAuditLogView(org.orgId, { limit: 10 });
    const byAction = Object.fromEntries(data.map((e) => [e.action, e]));
    expect(byAction['endpoint.created']).toMatchObject({ targetName: url, targetHref: `/settings/webhooks/${endpoint.id}`, sentence: 'Created the webhook, subscribed to compound.created in the standard format.' });
    expect(byAction['secret.revealed']).toMatchObject({ targetName: url, sentence: 'Revealed the signing secret.' });
    expect(byAction['secret.rotated']).toMatchObject({ targetName: url, sentence: 'Rotated the signing secret; the previous one keeps signing for 24 h.' });
    expect(byAction['api_key.created']).toMatchObject({ targetName: 'Billing service', sentence: expect.stringMatching(/^Created the API key “Billing service” with the developer role \(hr_/) });
    expect(byAction['api_key.revoked']!.targetName).toBe('Billing service');

    await deleteEndpoint(org.actors.admin, endpoint.id);
    const after = (await listAuditLogView(org.orgId, { limit: 10 })).data;
    expect(after[0]).toMatchObject({ action: 'endpoint.deleted', targetName: url, targetHref: null, sentence: 'Deleted the webhook with its signing secrets and delivery history.' });
    expect(after.find((e) => e.action === 'secret.rotated')).toMatchObject({ targetName: url, targetHref: null });
  });

  it("filters by actor and by action, and never names another organization's endpoint", async () => {
    const { endpoint: theirs } = await createEndpoint(other.actors.developer, { url: 'https://secret.example.com/theirs', eventTypes: ['*'], format: 'standard' }, { resolve: publicResolver });
    // An entry in this organization that points at the other one's endpoint id shows the id, not its URL.
    await recordAudit(h.db, org.actors.owner, 'endpoint.checked', theirs.id);
    await recordAudit(h.db, org.actors.owner, 'widget.frobbed', 'w-1', { count: 3 });

    const checked = (await listAuditLogView(org.orgId, { action: 'endpoint.checked' })).data;
    expect(checked).toHaveLength(1);
    expect(checked[0]).toMatchObject({ targetName: theirs.id, targetHref: null });
    expect(JSON.stringify(checked)).not.toContain('secret.example.com');

    const unknown = (await listAuditLogView(org.orgId, { action: 'widget.frobbed' })).data;
    expect(unknown[0]!.sentence).toBe('Recorded “widget.frobbed” (count: 3).');

    const mine = (await listAuditLogView(org.orgId, { actor: org.actors.developer.label })).data;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.actor === org.actors.developer.label)).toBe(true);
    const facets = await auditFacets(org.orgId);
    expect(facets.actions).toContain('secret.rotated');
    expect(facets.actors).toContain(org.actors.admin.label);
    expect(facets.actors).not.toContain(other.actors.developer.label);
  });
});
