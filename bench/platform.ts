// Platform mode at a platform's scale: N tenants made through upsertTenant (each with the catalog), then one
// platform event type upserted into all of them (one INSERT … SELECT … ON CONFLICT), then a new tenant after it.
// Run: npx tsx bench/platform.ts   (PostgreSQL at 127.0.0.1:5432, user postgres, trust; BENCH_PG_URL overrides;
// BENCH_TENANTS sets N, default 2000). Creates a throw-away database and drops it.
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { openPostgres } from '@/db/client';
import { setDbHandle } from '@/lib/db';

process.env.DATA_DIR ??= path.resolve('.test-data', 'bench-platform'); // never ./data
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const N = Number(process.env.BENCH_TENANTS ?? 2000);
const CONCURRENCY = 8;

async function main() {
  const name = `hookrelay_bench_platform_${randomBytes(4).toString('hex')}`;
  const admin = await openPostgres(ADMIN_URL, { max: 1, migrate: false });
  await admin.pool!.query(`CREATE DATABASE ${name}`);
  const h = await openPostgres(ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${name}$1`), { max: CONCURRENCY + 2 });
  setDbHandle(h);
  const { platformActor, upsertTenant } = await import('@/lib/platform/tenants');
  const platform = platformActor('', 'bench');
  const { upsertPlatformEventType } = await import('@/lib/platform/event-types');
  try {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const i = next++;
        await upsertTenant(platform, `cus_${i}`, { name: `Customer ${i}` });
      }
    }));
    const made = performance.now() - t0;
    console.log(`upsertTenant: ${N} tenants in ${(made / 1000).toFixed(1)} s (${(N / (made / 1000)).toFixed(0)} a second, ${CONCURRENCY} at a time)`);
    const type = { description: 'An invoice was paid.', schema: { type: 'object', properties: { id: { type: 'string' } } }, sample: { id: 'inv_1' } };
    for (const label of ['new type', 'same type again', 'replacing seeded compound.created']) {
      const typeName = label.startsWith('replacing') ? 'compound.created' : 'invoice.paid';
      const t = performance.now();
      await upsertPlatformEventType(platform, typeName, type);
      console.log(`upsertPlatformEventType (${label}) into ${N} tenants: ${(performance.now() - t).toFixed(0)} ms`);
    }
    const t1 = performance.now();
    await upsertTenant(platform, 'cus_after', { name: 'After' });
    console.log(`a tenant made after: ${(performance.now() - t1).toFixed(0)} ms (catalog + 2 platform types)`);
  } finally {
    await h.close();
    await admin.pool!.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
