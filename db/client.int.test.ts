import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDb, testDbKind } from '@/test/db';
import { pgProxy } from '@/test/pg-proxy';
import { openPostgres, queryRows, type DbHandle } from './client';

describe.runIf(testDbKind() === 'postgres')('a PostgreSQL pool whose connections are lost (behind a proxy we cut)', () => {
  let h: DbHandle & { url?: string };
  beforeAll(async () => {
    h = await createTestDb();
  }, 90_000);
  afterAll(async () => h?.close());

  it("a transaction whose connection is lost during its 'begin' gives its slot back: the pool answers once the database is back, and closes", { timeout: 30_000 }, async () => {
    const proxy = await pgProxy(new URL(h.url!));
    const pooled = await openPostgres(proxy.url(h.url!), { max: 1, migrate: false });
    try {
      expect(await queryRows(pooled.db, sql`select 1 as one`)).toEqual([{ one: 1 }]); // one idle connection
      proxy.stall();
      const tx = pooled.db.transaction((t) => t.execute(sql`select 1`)).then(
        () => 'committed',
        (e: Error) => `${e.message} ${(e.cause as Error | undefined)?.message}`,
      );
      await new Promise((r) => setTimeout(r, 200)); // its 'begin' is sent and unanswered
      await proxy.down();
      expect(await tx).toMatch(/^Failed query: begin[^]*Connection terminated/);
      await proxy.up();
      const started = Date.now();
      // a leaked slot would make this wait for the pool's 5 s connection timeout, and fail
      expect(await queryRows(pooled.db, sql`select 2 as two`)).toEqual([{ two: 2 }]);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await pooled.db.transaction(async (t) => queryRows(t, sql`select 3 as three`))).toEqual([{ three: 3 }]);
      const closed = await Promise.race([pooled.close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('a client was never released'), 5000))]);
      expect(closed).toBe('closed');
    } finally {
      void pooled.close().catch(() => {});
      await proxy.close();
    }
  });
});
