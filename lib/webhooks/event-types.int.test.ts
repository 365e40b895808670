import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb } from '@/test/db';
import type { DbHandle } from '@/db/client';
import { eventTypes } from '@/db/schema';
import { createEventType, getEventType, listEventTypes, setEventTypeDeprecated, updateEventType } from './event-types';
import { listAuditLog } from '@/lib/audit/log';
import { ForbiddenError } from '@/lib/auth/permissions';
import { NotFoundError, UserError } from '@/lib/errors';
import { errorOf, makeOrg } from '@/test/factories';

let h: DbHandle;
let org: Awaited<ReturnType<typeof makeOrg>>;
const schema = {
  type: 'object',
  properties: { order_id: { type: 'string' }, total: { type: 'number', minimum: 0 } },
  required: ['order_id', 'total'],
};
const input = { name: 'order.paid', description: 'An order was paid.', schema, sample: { order_id: 'ord_1', total: 12.5 } };

beforeAll(async () => {
  h = await createTestDb();
  org = await makeOrg(h.db);
});
afterAll(async () => h?.close());

const rows = () => h.db.select().from(eventTypes).where(eq(eventTypes.orgId, org.orgId));

describe('event types', () => {
  it('lists the seeded catalog', async () => {
    expect((await listEventTypes(org.orgId)).map((t) => t.name)).toEqual(['compound.created', 'investigation.updated']);
    expect((await getEventType(org.orgId, 'compound.created')).sample).toMatchObject({ name: 'Aspirin' });
    expect(await errorOf(getEventType(org.orgId, 'nope.created'))).toBeInstanceOf(NotFoundError);
  });

  it('refuses a sample that fails its schema, a bad name, a non-object schema and reserved sample keys, creating nothing', async () => {
    const before = await rows();
    const failing = await errorOf(createEventType(org.actors.admin, { ...input, sample: { order_id: 1, total: -3 } }));
    expect(failing).toBeInstanceOf(UserError);
    expect(failing!.fieldErrors).toEqual({
      sample: ['The sample does not match the schema: /order_id must be string.', 'The sample does not match the schema: /total must be >= 0.'],
    });
    const missing = await errorOf(createEventType(org.actors.admin, { ...input, sample: {} }));
    expect(missing!.fieldErrors!.sample).toEqual([
      "The sample does not match the schema: data must have required property 'order_id'.",
      "The sample does not match the schema: data must have required property 'total'.",
    ]);
    for (const name of ['Order.Paid', 'order', 'order..paid', `a.${'b'.repeat(100)}`]) {
      expect((await errorOf(createEventType(org.actors.admin, { ...input, name })))!.fieldErrors!.name).toHaveLength(1);
    }
    const arraySchema = await errorOf(createEventType(org.actors.admin, { ...input, schema: { type: 'array' } }));
    expect(arraySchema!.fieldErrors!.schema![0]).toMatch(/"type": "object"/);
    const reserved = await errorOf(
      createEventType(org.actors.admin, { ...input, schema: { type: 'object' }, sample: { event_type: 'x', '1': 2, ok: true } }),
    );
    expect(reserved!.fieldErrors!.sample![0]).toMatch(/top-level keys "1", "event_type"/);
    expect(await rows()).toEqual(before);
  });

  it('creates a type (admins only), unique by name within the organization', async () => {
    expect(await errorOf(createEventType(org.actors.developer, input))).toBeInstanceOf(ForbiddenError);
    const created = await createEventType(org.actors.admin, input);
    expect(created).toMatchObject({ orgId: org.orgId, name: 'order.paid', description: 'An order was paid.', deprecated: false });
    expect(Object.keys(created.sample)).toEqual(['order_id', 'total']);
    expect((await listAuditLog(org.orgId, { limit: 1 })).data[0]).toMatchObject({ action: 'event_type.created', target: 'order.paid' });
    const dup = await errorOf(createEventType(org.actors.admin, input));
    expect(dup!.fieldErrors!.name![0]).toMatch(/already exists/);
    // Another organization has its own catalog.
    const other = await makeOrg(h.db, ['admin']);
    expect((await createEventType(other.actors.admin, input)).orgId).toBe(other.orgId);
  });

  it('updates description, schema and sample, keeping the sample valid', async () => {
    const stricter = { ...schema, properties: { ...schema.properties, currency: { type: 'string', pattern: '^[A-Z]{3}$' } }, required: [...schema.required, 'currency'] };
    const before = await getEventType(org.orgId, 'order.paid');
    const e = await errorOf(updateEventType(org.actors.admin, 'order.paid', { schema: stricter }));
    expect(e!.fieldErrors!.sample).toEqual(["The sample does not match the schema: data must have required property 'currency'."]);
    expect((await getEventType(org.orgId, 'order.paid')).schema).toEqual(schema);
    const updated = await updateEventType(org.actors.admin, 'order.paid', { schema: stricter, sample: { order_id: 'o', total: 1, currency: 'EUR' } });
    expect(updated.schema).toEqual(stricter);
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
    expect((await listAuditLog(org.orgId, { limit: 1 })).data[0]).toMatchObject({ action: 'event_type.updated', target: 'order.paid', detail: { changed: ['schema', 'sample'] } });
    expect(await errorOf(updateEventType(org.actors.admin, 'nope.paid', { description: 'x' }))).toBeInstanceOf(NotFoundError);
  });

  it('deprecates and restores; a deprecated type leaves the list of subscribable types', async () => {
    const d = await setEventTypeDeprecated(org.actors.admin, 'order.paid', true);
    expect(d.deprecated).toBe(true);
    expect((await listEventTypes(org.orgId, { includeDeprecated: false })).map((t) => t.name)).not.toContain('order.paid');
    expect((await listEventTypes(org.orgId)).map((t) => t.name)).toContain('order.paid');
    expect((await listAuditLog(org.orgId, { limit: 1 })).data[0]).toMatchObject({ action: 'event_type.deprecated', target: 'order.paid' });
    expect((await setEventTypeDeprecated(org.actors.admin, 'order.paid', false)).deprecated).toBe(false);
    expect((await listAuditLog(org.orgId, { limit: 1 })).data[0]).toMatchObject({ action: 'event_type.undeprecated' });
  });
});
