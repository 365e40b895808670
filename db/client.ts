import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbHandle = { db: Db; kind: 'pglite' | 'postgres'; close(): Promise<void>; pool?: import('pg').Pool };

const MIGRATIONS = path.resolve(process.cwd(), 'db/migrations');
const g = globalThis as unknown as { __hookrelayDb?: Promise<DbHandle> };

// Opens an embedded PGlite database (in memory when dataDir is undefined) and migrates it.
export async function openPglite(dataDir?: string): Promise<DbHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const db = drizzle({ client, schema }) as unknown as Db;
  await migrate(db as never, { migrationsFolder: MIGRATIONS });
  return { db, kind: 'pglite', close: () => client.close() };
}

// Opens a node-postgres pool on a PostgreSQL server and migrates it.
export async function openPostgres(url: string, opts: { max?: number; migrate?: boolean } = {}): Promise<DbHandle> {
  const { Pool } = (await import('pg')).default;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  // A connect that hangs (server unreachable) fails after 5 s rather than holding the request forever.
  const pool = new Pool({ connectionString: url, max: opts.max ?? 10, connectionTimeoutMillis: 5000 });
  pool.on('error', () => {}); // an idle client lost with a server restart; the pool makes a new one
  // pg-pool listens for errors only on idle clients: a connection lost while checked out (mid-transaction) would emit
  // 'error' with nobody listening and kill the process. The query under way rejects, and the pool drops the client.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzle({ client: pool, schema }) as unknown as Db;
  if (opts.migrate !== false) await migrate(db as never, { migrationsFolder: MIGRATIONS });
  return { db, kind: 'postgres', close: () => pool.end(), pool };
}

// The process's database: PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR. Opened and migrated once.
export function getDbHandle(): Promise<DbHandle> {
  if (!g.__hookrelayDb) {
    g.__hookrelayDb = (async () => {
      const { env } = await import('../lib/env');
      const e = env();
      return e.DATABASE_URL ? openPostgres(e.DATABASE_URL) : openPglite(path.join(path.resolve(e.DATA_DIR), 'pglite'));
    })();
    g.__hookrelayDb.catch(() => (g.__hookrelayDb = undefined));
  }
  return g.__hookrelayDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

// Points this process at another database (tests, benchmarks).
export function setDbHandle(handle: DbHandle): void {
  g.__hookrelayDb = Promise.resolve(handle);
}

export { schema };

// Runs raw SQL and returns its rows; both drivers answer with `.rows`.
export async function queryRows<T = Record<string, unknown>>(db: Pick<Db | Tx, 'execute'>, query: import('drizzle-orm').SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}
