import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Pool } from 'pg';
import { queryRows, type Db, type DbHandle } from './client';

// Runs one of the hot statements (a publish's write, the worker's claim and result write) and answers its rows; `name`
// makes it a prepared statement, parsed and planned once per connection rather than at every call.
export type NamedQuery = <T = Record<string, unknown>>(name: string, query: SQL) => Promise<T[]>;

// Runs a statement unnamed (tests): the same rows as a prepared one.
export const unnamed = (db: Db): NamedQuery => (_name, query) => queryRows(db, query);

// A value as an SQL literal, for EXECUTE (standard_conforming_strings is on: only quotes are doubled).
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return `'${String(v).replace(/'/g, "''")}'`;
}

const preparedOn = new WeakMap<Db, Map<string, { text: string; ready: Promise<unknown> }>>();

// On PGlite, whose one session runs every query, planning included: a statement is prepared once per database (SQL
// PREPARE, the statement's own text) and run with EXECUTE, its values as literals. Calls that overlap share one
// PREPARE. `settings` (name → value) are set for each EXECUTE alone (set_config local to its own transaction, sent
// with it in one call: each call crosses to the database's thread and back): PGlite's one session also serves the
// dashboard, so they cannot be set for the session as on a connection of a pool.
export function preparedOnPglite(db: Db, settings: Readonly<Record<string, string>> = {}): NamedQuery {
  const dialect = new PgDialect();
  // one statement for them all (a round trip each costs this thread more than the setting saves)
  const setLocal = Object.entries(settings).map(([name, value]) => `set_config(${literal(name)}, ${literal(value)}, true)`).join(', ');
  return async <T,>(name: string, q: SQL) => {
    const { sql: text, params } = dialect.sqlToQuery(q);
    let done = preparedOn.get(db);
    if (!done) preparedOn.set(db, (done = new Map()));
    let entry = done.get(name);
    if (entry?.text !== text) {
      const previous = entry; // prepared under another text: deallocated first, once its own PREPARE has settled
      const ready: Promise<unknown> = (async () => {
        if (previous) {
          await previous.ready.catch(() => {});
          await db.execute(sql.raw(`deallocate ${name}`)).catch(() => {});
        }
        await db.execute(sql.raw(`prepare ${name} as ${text}`));
      })();
      entry = { text, ready };
      done.set(name, entry);
      ready.catch(() => done.get(name) === entry && done.delete(name)); // the next call prepares again
    }
    await entry.ready;
    const execute = `execute ${name}(${params.map(literal).join(', ')})`;
    if (setLocal === '') return queryRows<T>(db, sql.raw(execute));
    // one call, one implicit transaction: the settings, then the statement (PostgreSQL runs a multi-statement simple
    // query as one transaction, so they end with it; an error rolls both back)
    const results = await clientOf(db).exec(`select ${setLocal}; ${execute}`, { parsers: TEXT_AS_IS });
    return (results.at(-1)?.rows ?? []) as T[];
  };
}

// The PGlite client under drizzle's database (db/client.ts: on its own thread), for multi-statement calls.
type ExecClient = { exec(sql: string, options?: { parsers?: Record<number, (v: string) => unknown> }): Promise<{ rows: unknown[] }[]> };
const clientOf = (db: Db) => (db as unknown as { $client: ExecClient }).$client;

// As drizzle's PGlite driver reads them: timestamps, intervals and dates (and their arrays) and numeric[] stay text.
const TEXT_AS_IS = Object.fromEntries([1114, 1184, 1186, 1082, 1231, 1115, 1185, 1187, 1182].map((oid) => [oid, (v: string) => v]));

// On a node-postgres pool: the extended protocol's named statements (node-postgres prepares a name once per connection).
export function preparedOnPool(pool: Pool): NamedQuery {
  const dialect = new PgDialect();
  return async <T,>(name: string, q: SQL) => {
    const { sql: text, params } = dialect.sqlToQuery(q);
    return (await pool.query({ name, text, values: params as unknown[] })).rows as T[];
  };
}

const byHandle = new WeakMap<DbHandle, NamedQuery>();

// Prepared statements on the handle's database, whichever kind it is.
export function preparedQuery(handle: DbHandle): NamedQuery {
  let q = byHandle.get(handle);
  if (!q) {
    q = handle.kind === 'postgres' && handle.pool ? preparedOnPool(handle.pool) : preparedOnPglite(handle.db);
    byHandle.set(handle, q);
  }
  return q;
}
