import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@/db/client';
import { useTestDb } from '@/test/suite';
import { testDbKind } from '@/test/db';
import { organizations } from '@/db/schema';

// The embedded database runs on a thread of its own (db/pglite-thread.ts): the server's thread goes on serving while
// it works, and what callers see of it (rows, errors, transactions) is what an in-process PGlite gave.
describe.runIf(testDbKind() === 'pglite')('embedded database on its own thread', () => {
  const h = useTestDb();

  it('leaves this thread free while a query runs: timers fire on time during a 600 ms query', async () => {
    const ticks: number[] = [];
    let last = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      ticks.push(now - last);
      last = now;
    }, 20);
    try {
      const t0 = Date.now();
      await queryRows(h.db, sql`select pg_sleep(0.6)`);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(550);
    } finally {
      clearInterval(timer);
    }
    // on the same thread, the query would have held every tick back for its whole 600 ms
    expect(ticks.length).toBeGreaterThanOrEqual(10);
    expect(Math.max(...ticks)).toBeLessThan(300);
  });

  it("passes PostgreSQL's errors on with their code and constraint", async () => {
    await h.db.insert(organizations).values({ id: 'org_thread_1', name: 'One' });
    const err = await h.db.insert(organizations).values({ id: 'org_thread_1', name: 'Again' }).then(() => null, (e: unknown) => e);
    const cause = (err as { cause?: { code?: string; constraint?: string } }).cause;
    expect(cause?.code).toBe('23505');
    expect(cause?.constraint).toBe('organizations_pkey');
  });

  it('rolls a failed transaction back whole, and holds other queries until a transaction ends', async () => {
    const failed = await h.db
      .transaction(async (tx) => {
        await tx.insert(organizations).values({ id: 'org_thread_2', name: 'Two' });
        throw new Error('changed my mind');
      })
      .then(() => null, (e: Error) => e.message);
    expect(failed).toBe('changed my mind');
    expect(await h.db.select().from(organizations).where(sql`id = 'org_thread_2'`)).toEqual([]);

    const order: string[] = [];
    let inside!: () => void;
    const entered = new Promise<void>((r) => (inside = r));
    const tx = h.db.transaction(async (t) => {
      await t.insert(organizations).values({ id: 'org_thread_3', name: 'Three' });
      inside();
      await new Promise((r) => setTimeout(r, 200));
      order.push('commit');
    });
    await entered;
    const outside = queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from organizations where id = 'org_thread_3'`).then((rows) => {
      order.push('read');
      return rows[0]!.n;
    });
    await tx;
    // the read waited for the commit, and saw the row
    expect(await outside).toBe(1);
    expect(order).toEqual(['commit', 'read']);
  });
});
