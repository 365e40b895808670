import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db, DbHandle } from '@/db/client';
import { queryRows, schema } from '@/db/client';

// Runs one of the worker's statements (claim, result write) and answers its rows; `name` makes it a prepared statement
// on PostgreSQL, parsed and planned once per connection rather than at every call.
export type NamedQuery = <T = Record<string, unknown>>(name: string, query: SQL) => Promise<T[]>;

// The connections on which a worker keeps its books: claims, attempt results, giving claims back.
export type BookkeepingDb = { db: Db; query: NamedQuery; close(): Promise<void> };

// Runs a statement unnamed (tests): the same rows as a prepared one.
export const unnamed = (db: Db): NamedQuery => (_name, query) => queryRows(db, query);

// A value as an SQL literal, for EXECUTE (standard_conforming_strings is on: only quotes are doubled).
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return `'${String(v).replace(/'/g, "''")}'`;
}

const preparedOn = new WeakMap<Db, Map<string, string>>();

// PGlite runs every query on this thread, planning included: the claim and the result write are prepared once per
// database (SQL PREPARE, the statement's own text) and run with EXECUTE, their values as literals.
export function preparedOnPglite(db: Db): NamedQuery {
  const dialect = new PgDialect();
  return async <T,>(name: string, q: SQL) => {
    const { sql: text, params } = dialect.sqlToQuery(q);
    const done = preparedOn.get(db) ?? new Map<string, string>();
    preparedOn.set(db, done);
    if (done.get(name) !== text) {
      if (done.has(name)) await db.execute(sql.raw(`deallocate ${name}`));
      done.delete(name);
      await db.execute(sql.raw(`prepare ${name} as ${text}`));
      done.set(name, text);
    }
    return queryRows<T>(db, sql.raw(`execute ${name}(${params.map(literal).join(', ')})`));
  };
}

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
  const pool = new Pool({ ...handle.pool.options, max, options: '-c synchronous_commit=off' });
  pool.on('error', () => {}); // an idle client lost with a server restart; the pool makes a new one
  const dialect = new PgDialect();
  const query: NamedQuery = async <T,>(name: string, q: SQL) => {
    const { sql: text, params } = dialect.sqlToQuery(q);
    return (await pool.query({ name, text, values: params as unknown[] })).rows as T[];
  };
  return { db: drizzle({ client: pool, schema }) as unknown as Db, query, close: () => pool.end() };
}
