import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDb, testDbKind } from '@/test/db';
import { spawnApiProcess } from '@/test/api-process';
import { pgProxy } from '@/test/pg-proxy';
import { openPostgres, type DbHandle } from '@/db/client';
import { newId } from '@/db/ids';
import { events } from '@/db/schema';
import { setEnv } from '@/lib/env';
import { callAt, makeApiOrg } from '@/test/api';

const data = { id: 'compound-1', name: 'Aspirin', category: 'analgesic', efficacy: 0.92 };

describe.runIf(testDbKind() === 'postgres')('publishing while the database goes away (PostgreSQL behind a proxy we cut)', () => {
  let h: DbHandle & { url?: string };
  let proxy: Awaited<ReturnType<typeof pgProxy>>;
  let api: Awaited<ReturnType<typeof spawnApiProcess>>;
  beforeAll(async () => {
    h = await createTestDb();
    setEnv({ WEBHOOK_ALLOW_PRIVATE_TARGETS: true });
    proxy = await pgProxy(new URL(h.url!));
    api = await spawnApiProcess(proxy.url(h.url!));
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
    await proxy?.close();
    await h?.close();
  });

  it('a connection lost mid-transaction answers 503 with Retry-After: 2 and the server lives on; the retry creates one event', { timeout: 60_000 }, async () => {
    const a = await makeApiOrg(h.db);
    const publish = (key: string) =>
      callAt(api.url, 'POST', '/events', { key: a.developerKey, body: { type: 'compound.created', data }, headers: { 'idempotency-key': key } });
    expect((await publish('warm-up')).status).toBe(202);

    // An uncommitted event holding the key makes the server's publish wait inside its transaction, on the unique index.
    const blocker = await openPostgres(h.url!, { max: 1, migrate: false });
    const client = await blocker.pool!.connect();
    await client.query('begin');
    await client.query(`insert into events (id, org_id, type, data, idempotency_key) values ($1, $2, 'compound.created', '{}', 'mid-tx')`, [newId('evt'), a.orgId]);
    const inFlight = publish('mid-tx');
    for (let i = 0; i < 100; i++) {
      const { rows } = await h.pool!.query(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`);
      if (rows[0].n > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await proxy.down(); // the server's connection dies in the middle of its transaction
    const lost = await inFlight;
    expect(lost.status).toBe(503);
    expect(lost.body.error.code).toBe('unavailable');
    expect(lost.headers.get('retry-after')).toBe('2');
    await client.query('rollback');
    client.release();
    await blocker.close();

    // still unreachable: refused at once, the same answer
    const down = await publish('mid-tx');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('2');
    expect(api.child.exitCode).toBeNull();

    await proxy.up();
    let retried = await publish('mid-tx');
    for (let i = 0; retried.status === 503 && i < 20; i++) {
      await new Promise((r) => setTimeout(r, 250));
      retried = await publish('mid-tx');
    }
    expect(retried.status).toBe(202);
    expect((await publish('mid-tx')).body.id).toBe(retried.body.id);
    const rows = await h.db.select().from(events).where(and(eq(events.orgId, a.orgId), eq(events.idempotencyKey, 'mid-tx')));
    expect(rows.map((r) => r.id)).toEqual([retried.body.id]);
    const all = await h.db.select({ id: events.id }).from(events).where(eq(events.orgId, a.orgId));
    expect(all).toHaveLength(2); // the warm-up and the one retried event
    expect(api.child.exitCode).toBeNull();
    expect(api.output()).not.toMatch(/uncaughtException|Connection terminated unexpectedly\n\s+at /);
  });
});
