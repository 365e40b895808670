import type { Db, DbHandle } from '@/db/client';
import { schema, survivingLostConnections } from '@/db/client';
import { preparedOnPglite, preparedOnPool, type NamedQuery } from '@/db/prepared';

// The connections on which a worker keeps its books: claims, attempt results, giving claims back.
export type BookkeepingDb = { db: Db; query: NamedQuery; close(): Promise<void> };

// Settings under which the planner uses indexes only, and nested loops over them, for every table it can: for each
// statement on PGlite, for the session of a pool's connection (as connection options).
const KEY_LOOKUPS: Readonly<Record<string, string>> = { enable_seqscan: 'off', enable_bitmapscan: 'off', enable_hashjoin: 'off', enable_mergejoin: 'off' };

// A connection's startup options ("-c name=value …") for these settings.
const connectionOptions = (settings: Readonly<Record<string, string>>) =>
  Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`).join(' ');

// On PostgreSQL, a small pool of its own with synchronous_commit off: a claim or a result write then commits without
// waiting for the WAL flush. A crash can lose the last few of them, and that only redoes work (at least once): a lost
// claim leaves the delivery due, a lost result leaves it under a lease that expires, and any later synchronous
// commit (a publish) flushes them all. Publishes never use this pool. The claim and the result write, large statements
// run many times a second, are prepared once per connection. On PGlite the process's own database, the two statements
// prepared there too.
//
// Its statements only look rows up by key, from a few dozen rows at hand (a claim's picks, a batch of results), or walk
// the queue's due index in order: planned that way whatever the table statistics say (KEY_LOOKUPS). A prepared
// statement's plan, and the queue triggers' own, is made once, often while the tables are nearly empty (a new install,
// a quiet queue), and kept until the next ANALYZE: it read the whole queue and attempts tables per result write and
// sorted a backlog's every row per claim. In bench:api (pg_stat_statements), a result write went from 6.5 to 2.4 ms,
// a claim from 1.9 to 0.95 ms, and batch publishing with the workers delivering from 8,000 to 10,500 events/s.
export async function openBookkeepingDb(handle: DbHandle, max = 4): Promise<BookkeepingDb> {
  if (handle.kind !== 'postgres' || !handle.pool) {
    return { db: handle.db, query: preparedOnPglite(handle.db, KEY_LOOKUPS), close: async () => {} };
  }
  const { Pool } = (await import('pg')).default;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = survivingLostConnections(new Pool({ ...handle.pool.options, max, options: connectionOptions({ synchronous_commit: 'off', ...KEY_LOOKUPS }) }));
  return { db: drizzle({ client: pool, schema }) as unknown as Db, query: preparedOnPool(pool), close: () => pool.end() };
}
