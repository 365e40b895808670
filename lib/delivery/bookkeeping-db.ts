import type { Db, DbHandle } from '@/db/client';
import { schema, survivingLostConnections } from '@/db/client';
import { preparedOnPglite, preparedOnPool, type NamedQuery } from '@/db/prepared';

// The connections on which a worker keeps its books: claims, attempt results, giving claims back.
export type BookkeepingDb = { db: Db; query: NamedQuery; close(): Promise<void> };

// On PostgreSQL, a small pool of its own with synchronous_commit off: a claim or a result write then commits without
// waiting for the WAL flush. A crash can lose the last few of them, and that only redoes work (at least once): a lost
// claim leaves the delivery due, a lost result leaves it under a lease that expires, and any later synchronous
// commit (a publish) flushes them all. Publishes never use this pool. The claim and the result write, large statements
// run many times a second, are prepared once per connection. On PGlite the process's own database, the two statements
// prepared there too.
export async function openBookkeepingDb(handle: DbHandle, max = 4): Promise<BookkeepingDb> {
  if (handle.kind !== 'postgres' || !handle.pool) return { db: handle.db, query: preparedOnPglite(handle.db), close: async () => {} };
  const { Pool } = (await import('pg')).default;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = survivingLostConnections(new Pool({ ...handle.pool.options, max, options: '-c synchronous_commit=off' }));
  return { db: drizzle({ client: pool, schema }) as unknown as Db, query: preparedOnPool(pool), close: () => pool.end() };
}
