import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDb } from '@/test/suite';
import { newId } from '@/db/ids';
import { eventTypes } from '@/db/schema';
import { createEventType, updateEventType } from './event-types';
import { publishEvent } from './events';
import { UserError } from '@/lib/errors';
import { errorOf, makeOrg, publisher } from '@/test/factories';

// Issue 14 item 1 through the save and publish paths: bombs are refused at save, a bounded schema validates fast,
// and a schema stored before the limits is refused at publish with what to do, instead of stalling the process.
const h = useTestDb();
let org: Awaited<ReturnType<typeof makeOrg>>;

beforeAll(async () => {
  org = await makeOrg(h.db);
});

function refBomb(levels: number): Record<string, unknown> {
  const defs: Record<string, unknown> = { d0: { type: 'string' } };
  for (let l = 1; l <= levels; l++) {
    defs[`d${l}`] = { type: 'object', properties: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`p${i}`, { $ref: `#/$defs/d${l - 1}` }])) };
  }
  return { type: 'object', $defs: defs, properties: { root: { $ref: `#/$defs/d${levels}` } } };
}

describe('event type schemas on the save and publish paths', () => {
  it('refuses bombs at save with a sentence, creating nothing', async () => {
    const bombs = [
      [{ type: 'object', properties: { list: { type: 'array', uniqueItems: true } } }, /needs "maxItems" of at most 20/],
      [refBomb(40), /"\$ref"/],
      [{ type: 'object', properties: { s: { type: 'string', pattern: '(a)\\1' } } }, /no lookaround or backreferences/],
    ] as const;
    for (const [schema, message] of bombs) {
      const t0 = performance.now();
      const e = await errorOf(createEventType(org.actors.admin, { name: 'bomb.saved', schema, sample: {} }));
      expect(performance.now() - t0).toBeLessThan(1000 + 3000); // the static limits answer at once; a compile at most 3 s
      expect(e).toBeInstanceOf(UserError);
      expect(e!.fieldErrors!.schema).toEqual([expect.stringMatching(message)]);
    }
    const updated = await errorOf(updateEventType(org.actors.admin, 'compound.created', { schema: refBomb(30) }));
    expect(updated!.fieldErrors!.schema).toEqual([expect.stringMatching(/"\$ref"/)]);
  });

  it('publishes against a pattern bomb quickly: RE2 checks 28 and 100,000 characters in linear time', async () => {
    await createEventType(org.actors.admin, {
      name: 'pattern.bomb',
      schema: { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } },
      sample: { s: 'aaaa' },
    });
    for (const n of [28, 100_000]) {
      const t0 = performance.now();
      const e = await errorOf(publishEvent(publisher(org.orgId), 'pattern.bomb', { s: 'a'.repeat(n) + '!' }));
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(e!.message).toBe('The data does not match the schema of "pattern.bomb": /s must match pattern "^(a+)+$".');
    }
    expect((await publishEvent(publisher(org.orgId), 'pattern.bomb', { s: 'a'.repeat(30) })).deliveries).toBe(0);
  });

  it('refuses to publish against a schema stored before the limits, saying to save it again', async () => {
    const legacy = { type: 'object', properties: { list: { type: 'array', uniqueItems: true } } };
    await h.db.insert(eventTypes).values({ id: newId('et'), orgId: org.orgId, name: 'legacy.bomb', description: '', schema: legacy, sample: {} });
    const many = Array.from({ length: 16_000 }, (_, i) => ({ id: i, name: 'item' }));
    const t0 = performance.now();
    const e = await errorOf(publishEvent(publisher(org.orgId), 'legacy.bomb', { list: many }));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(e).toBeInstanceOf(UserError);
    expect(e!.message).toMatch(/^The schema of "legacy\.bomb" cannot be used \(.*"uniqueItems" at \/properties\/list needs "maxItems".*\); an admin must fix and save it again under Settings → Event types/);
  });
});
