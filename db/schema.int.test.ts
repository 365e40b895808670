import { describe, expect, it } from 'vitest';
import { sql, eq } from 'drizzle-orm';
import { useTestDb } from '@/test/suite';
import { queryRows } from './client';
import { events, organizations } from './schema';

const h = useTestDb();

describe('migrations', () => {
  it('create every table of the domain', async () => {
    const r = await queryRows<{ table_name: string }>(h.db, sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`);
    const names = r.map((x) => x.table_name);
    expect(names).toEqual(
      expect.arrayContaining(['users', 'organizations', 'memberships', 'endpoints', 'endpoint_secrets', 'event_types', 'events', 'deliveries', 'attempts', 'api_keys', 'audit_log']),
    );
  });

  it('keep the key order of event data', async () => {
    await h.db.insert(organizations).values({ id: 'org_1', name: 'Acme' });
    const data = JSON.stringify({ zeta: 1, alpha: { b: 2, a: 1 }, mid: [3, 2, 1] });
    await h.db.insert(events).values({ id: 'evt_1', orgId: 'org_1', type: 'compound.created', data });
    const [row] = await h.db.select().from(events).where(eq(events.id, 'evt_1'));
    expect(row.data).toBe(data);
  });
});
