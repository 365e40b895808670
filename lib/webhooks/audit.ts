import { and, desc, eq, lt } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../../db/client';
import { newId } from '../../db/ids';
import { auditLog, type AuditEntry } from '../../db/schema';
import type { Actor } from '../auth/permissions';

export type { AuditEntry };

let lastMs = 0;

// Writes one audit-log row inside the caller's transaction; `detail` is small JSON and never holds a secret.
export async function recordAudit(
  tx: Tx | Db,
  actor: Actor,
  action: string,
  target: string | null,
  detail?: Record<string, unknown>,
): Promise<void> {
  lastMs = Math.max(Date.now(), lastMs + 1); // ids of one process sort in the order the changes were made
  await tx.insert(auditLog).values({
    id: newId('aud', lastMs),
    orgId: actor.orgId,
    actorId: actor.id,
    actor: actor.label,
    action,
    target,
    detail: detail ?? null,
  });
}

// One page of an organization's audit log, newest first; pass nextCursor back for the next page.
export async function listAuditLog(
  orgId: string,
  opts: { cursor?: string | null; limit?: number } = {},
): Promise<{ data: AuditEntry[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 50) || 50, 1), 200);
  const db = await getDb();
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.orgId, orgId), opts.cursor ? lt(auditLog.id, opts.cursor) : undefined))
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const data = rows.slice(0, limit);
  return { data, nextCursor: rows.length > limit ? data[data.length - 1]!.id : null };
}
