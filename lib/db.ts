import { openDatabase, type Db, type DbHandle } from '@/db/client';
import { env } from './env';

const g = globalThis as unknown as { __hookrelayDb?: Promise<DbHandle> };

// The process's database: PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR. Opened and migrated once.
export function getDbHandle(): Promise<DbHandle> {
  if (!g.__hookrelayDb) {
    g.__hookrelayDb = (async () => {
      const e = env();
      return openDatabase({ databaseUrl: e.DATABASE_URL, dataDir: e.DATA_DIR });
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
