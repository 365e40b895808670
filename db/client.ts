import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';
import { startPgliteThread } from './pglite-thread';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbHandle = { db: Db; kind: 'pglite' | 'postgres'; close(): Promise<void>; pool?: import('pg').Pool };

const MIGRATIONS = path.resolve(process.cwd(), 'db/migrations');

// Opens an embedded PGlite database (in memory when dataDir is undefined) on its own thread (./pglite-thread.ts) and
// migrates it.
export async function openPglite(dataDir?: string): Promise<DbHandle> {
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = startPgliteThread(dataDir);
  const db = drizzle({ client: client as never, schema }) as unknown as Db;
  await migrate(db as never, { migrationsFolder: MIGRATIONS });
  return { db, kind: 'pglite', close: () => client.close() };
}

// Opens a node-postgres pool on a PostgreSQL server and migrates it.
export async function openPostgres(url: string, opts: { max?: number; migrate?: boolean } = {}): Promise<DbHandle> {
  const { Pool } = (await import('pg')).default;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  // A connect that hangs (server unreachable) fails after 5 s rather than holding the request forever.
  const pool = survivingLostConnections(new Pool({ connectionString: url, max: opts.max ?? 10, connectionTimeoutMillis: 5000 }));
  const db = drizzle({ client: pool, schema }) as unknown as Db;
  if (opts.migrate !== false) await migrate(db as never, { migrationsFolder: MIGRATIONS });
  return { db, kind: 'postgres', close: () => pool.end(), pool };
}

// A pool whose lost connections fail only the query on them, never the process: an idle client lost with a server
// restart (the pool makes a new one), and one lost while checked out — pg-pool listens for errors only on idle
// clients, so a connection lost mid-transaction would emit 'error' with nobody listening and kill the process; the
// query under way rejects, and the pool drops the client.
// A client lost while checked out is also given back at once, with its error: drizzle's transaction() sends `begin`
// outside its try/finally, so a connection lost before `begin` answered was never released, and once `max` of them
// had leaked every query after the outage waited for a slot that never came. The holder's own release is then a no-op.
export function survivingLostConnections(pool: import('pg').Pool): import('pg').Pool {
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const connect = pool.connect.bind(pool) as () => Promise<import('pg').PoolClient>;
  // pg-pool's own query() checks out with a callback and releases on error itself; checkouts by promise are wrapped
  pool.connect = ((cb?: unknown) => (cb ? (connect as (cb: unknown) => void)(cb) : connect().then(releasedWhenLost))) as typeof pool.connect;
  return pool;
}

function releasedWhenLost(client: import('pg').PoolClient): import('pg').PoolClient {
  const release = client.release;
  let released = false;
  const give = (err?: Error | boolean) => {
    if (released) return;
    released = true;
    client.off('error', lost).off('end', lost);
    release(err);
  };
  const lost = (err?: Error) => give(err instanceof Error ? err : new Error('connection ended'));
  client.once('error', lost).once('end', lost);
  client.release = give;
  return client;
}

// Where the process's database is: a PostgreSQL URL (server mode), else a PGlite data directory. The caller reads them
// from its environment (lib/db.ts); db/ reads no settings of its own.
export type DbSettings = { databaseUrl?: string; dataDir: string };

// Opens the database the settings name: PostgreSQL when databaseUrl is set, else PGlite in <dataDir>/pglite.
export function openDatabase(settings: DbSettings): Promise<DbHandle> {
  return settings.databaseUrl ? openPostgres(settings.databaseUrl) : openPglite(path.join(path.resolve(settings.dataDir), 'pglite'));
}

export { schema };

// Runs raw SQL and returns its rows; both drivers answer with `.rows`.
export async function queryRows<T = Record<string, unknown>>(db: Pick<Db | Tx, 'execute'>, query: import('drizzle-orm').SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}
