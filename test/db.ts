import { randomBytes } from 'node:crypto';
import { openPglite, openPostgres, type DbHandle } from '@/db/client';
import { setDbHandle } from '@/lib/db';

// The PostgreSQL server the integration tests create their databases on (never a database they did not create).
export const TEST_PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestDbKind = 'pglite' | 'postgres';

export function testDbKind(): TestDbKind {
  return process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

// A fresh, migrated database for one test file: an in-memory PGlite, or a new database on the test server.
// It becomes this process's database (lib/ uses it) and is dropped by close().
export async function createTestDb(kind: TestDbKind = testDbKind()): Promise<DbHandle & { url?: string }> {
  let handle: DbHandle & { url?: string };
  if (kind === 'pglite') {
    handle = await openPglite();
  } else {
    const name = `hookrelay_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    const admin = await openPostgres(TEST_PG_URL, { max: 1, migrate: false });
    await admin.pool!.query(`CREATE DATABASE ${name}`);
    await admin.close();
    const url = TEST_PG_URL.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
    const inner = await openPostgres(url, { max: 10 });
    handle = {
      ...inner,
      url,
      async close() {
        await inner.close();
        const a = await openPostgres(TEST_PG_URL, { max: 1, migrate: false });
        await a.pool!.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.close();
      },
    };
  }
  setDbHandle(handle);
  return handle;
}
