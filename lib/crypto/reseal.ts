import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/db/client';
import { env } from '@/lib/env';
import { sealContext } from './index';
import { isSealed, openLegacy, seal } from './seal';

const BATCH = 500;
// A custom header value in the current sealed format (anything else is a plaintext value stored before sealing).
const V2 = '^v2\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$';

export type ResealReport = { secrets: number; headers: number; unreadable: number };

// Seals again, once, what an older version stored: v1 secrets (no associated data) become v2 bound to their endpoint,
// plaintext custom header values become v2 bound to their endpoint and name. Each row is written only if it still holds
// what was read (compare-and-set), so processes starting together do the work once and a second run changes nothing.
// Values that do not open under this key are left as they are and counted as unreadable.
export async function resealStored(db: Db, keyBase64: string = env().WEBHOOK_ENCRYPTION_KEY): Promise<ResealReport> {
  const report: ResealReport = { secrets: 0, headers: 0, unreadable: 0 };
  for (let after = ''; ; ) {
    const rows = await queryRows<{ id: string; endpoint_id: string; sealed: string }>(db, sql`
      select id, endpoint_id, sealed from endpoint_secrets where sealed like 'v1.%' and id > ${after} order by id limit ${BATCH}`);
    for (const r of rows) {
      let plain: string;
      try {
        plain = openLegacy(r.sealed, keyBase64);
      } catch {
        report.unreadable++;
        continue;
      }
      const next = seal(plain, keyBase64, sealContext.endpointSecret(r.endpoint_id));
      const done = await queryRows(db, sql`
        update endpoint_secrets set sealed = ${next} where id = ${r.id} and sealed = ${r.sealed} returning id`);
      report.secrets += done.length;
    }
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1]!.id;
  }
  for (let after = ''; ; ) {
    const rows = await queryRows<{ id: string; headers: string }>(db, sql`
      select e.id, e.headers::text as headers from endpoints e
      where e.id > ${after} and json_typeof(e.headers) = 'object'
        and exists (select 1 from json_each_text(e.headers) h where h.value !~ ${V2})
      order by e.id limit ${BATCH}`);
    for (const r of rows) {
      const stored = JSON.parse(r.headers) as Record<string, string>;
      const next: Record<string, string> = {};
      for (const [name, value] of Object.entries(stored)) {
        next[name] = isSealed(String(value)) ? value : seal(String(value), keyBase64, sealContext.endpointHeader(r.id, name));
      }
      const done = await queryRows(db, sql`
        update endpoints set headers = ${JSON.stringify(next)}::json where id = ${r.id} and headers::text = ${r.headers} returning id`);
      report.headers += done.length;
    }
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1]!.id;
  }
  return report;
}
