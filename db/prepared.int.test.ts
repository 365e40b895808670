import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@/db/client';
import { useTestDb } from '@/test/suite';
import { testDbKind } from '@/test/db';
import { preparedOnPglite } from './prepared';

// PGlite's one session serves the dashboard too: settings a worker's statement runs under must end with it.
describe.runIf(testDbKind() === 'pglite')('preparedOnPglite with settings', () => {
  const h = useTestDb();

  it('runs each prepared statement under them, and leaves the session as it was', async () => {
    const query = preparedOnPglite(h.db, { enable_seqscan: 'off', enable_hashjoin: 'off' });
    const settingsNow = sql`select current_setting('enable_seqscan') as seq, current_setting('enable_hashjoin') as hash, ${1}::int as n`;
    for (let i = 0; i < 3; i++) expect(await query('hookrelay_test_settings', settingsNow)).toEqual([{ seq: 'off', hash: 'off', n: 1 }]);
    expect(await queryRows(h.db, sql`select current_setting('enable_seqscan') as seq, current_setting('enable_hashjoin') as hash`)).toEqual([
      { seq: 'on', hash: 'on' },
    ]);
    // without settings: the session's own
    expect(await preparedOnPglite(h.db)('hookrelay_test_plain', settingsNow)).toEqual([{ seq: 'on', hash: 'on', n: 1 }]);
  }, 30_000);
});
