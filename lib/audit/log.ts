import { and, asc, desc, eq, inArray, lt } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { getDb } from '@/lib/db';
import { newId } from '@/db/ids';
import { apiKeys, auditLog, deliveries, endpoints, type AuditEntry } from '@/db/schema';
import { describeAudit } from './text';
import type { Actor } from '@/lib/auth/permissions';

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

export type AuditFilter = { cursor?: string | null; limit?: number; actor?: string; action?: string };

// One page of an organization's audit log, newest first, optionally of one actor and one action; pass nextCursor
// back for the next page.
export async function listAuditLog(
  orgId: string,
  opts: AuditFilter = {},
): Promise<{ data: AuditEntry[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 50) || 50, 1), 200);
  const db = await getDb();
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(
      eq(auditLog.orgId, orgId),
      opts.cursor ? lt(auditLog.id, opts.cursor) : undefined,
      opts.actor ? eq(auditLog.actor, opts.actor) : undefined,
      opts.action ? eq(auditLog.action, opts.action) : undefined,
    ))
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const data = rows.slice(0, limit);
  return { data, nextCursor: rows.length > limit ? data[data.length - 1]!.id : null };
}

// An audit entry as the dashboard shows it: the target by name (endpoint URL, API key name, member email), a link
// when the target still exists, and a sentence.
export type AuditEntryView = AuditEntry & { targetName: string | null; targetHref: string | null; sentence: string };

// Names for the targets of audit entries, looked up in the same organization only; a deleted target keeps the name
// its entry recorded (an endpoint's URL, a key's name) or its id.
async function resolveTargets(orgId: string, entries: AuditEntry[]): Promise<Map<string, { name: string; href: string | null }>> {
  const ids = (prefix: string) => [...new Set(entries.map((e) => e.target).filter((t): t is string => !!t && t.startsWith(prefix)))];
  const [epIds, keyIds, dlvIds] = [ids('ep_'), ids('key_'), ids('dlv_')];
  const db = await getDb();
  const names = new Map<string, { name: string; href: string | null }>();
  if (epIds.length) {
    const rows = await db.select({ id: endpoints.id, url: endpoints.url, kind: endpoints.kind }).from(endpoints)
      .where(and(eq(endpoints.orgId, orgId), inArray(endpoints.id, epIds)));
    // the operational webhook lives on Settings → Alerts
    for (const r of rows) names.set(r.id, { name: r.url, href: r.kind === 'operational' ? '/settings/alerts' : `/settings/webhooks/${r.id}` });
    // A deleted endpoint: the URL its own created/deleted entry recorded (at most two rows per id).
    const gone = epIds.filter((id) => !names.has(id));
    if (gone.length) {
      const recorded = await db.select({ target: auditLog.target, detail: auditLog.detail }).from(auditLog)
        .where(and(eq(auditLog.orgId, orgId), inArray(auditLog.target, gone), inArray(auditLog.action, ['endpoint.created', 'endpoint.deleted'])));
      for (const r of recorded) {
        if (r.target && typeof r.detail?.url === 'string') names.set(r.target, { name: r.detail.url, href: null });
      }
    }
  }
  if (keyIds.length) {
    const rows = await db.select({ id: apiKeys.id, name: apiKeys.name }).from(apiKeys)
      .where(and(eq(apiKeys.orgId, orgId), inArray(apiKeys.id, keyIds)));
    for (const r of rows) names.set(r.id, { name: r.name, href: '/settings/api-keys' });
  }
  if (dlvIds.length) {
    const rows = await db.select({ id: deliveries.id, endpointId: deliveries.endpointId, url: endpoints.url }).from(deliveries)
      .innerJoin(endpoints, and(eq(endpoints.orgId, deliveries.orgId), eq(endpoints.id, deliveries.endpointId)))
      .where(and(eq(deliveries.orgId, orgId), inArray(deliveries.id, dlvIds)));
    for (const r of rows) names.set(r.id, { name: r.url, href: `/settings/webhooks/${r.endpointId}/deliveries/${r.id}` });
  }
  return names;
}

// One page of the audit log with names and sentences, for the Audit log page.
export async function listAuditLogView(
  orgId: string,
  opts: AuditFilter = {},
): Promise<{ data: AuditEntryView[]; nextCursor: string | null }> {
  const { data, nextCursor } = await listAuditLog(orgId, opts);
  const names = await resolveTargets(orgId, data);
  return {
    nextCursor,
    data: data.map((e) => {
      const found = e.target ? names.get(e.target) : undefined;
      const recorded = typeof e.detail?.url === 'string' ? e.detail.url : typeof e.detail?.name === 'string' ? e.detail.name : null;
      const targetName = found?.name ?? (e.target && /^(ep|key|dlv)_/.test(e.target) ? recorded ?? e.target : e.target);
      return { ...e, targetName, targetHref: found?.href ?? null, sentence: describeAudit(e.action, e.detail, targetName) };
    }),
  };
}

// The actors and actions that appear in an organization's audit log, for its filters (at most 200 of each).
export async function auditFacets(orgId: string): Promise<{ actors: string[]; actions: string[] }> {
  const db = await getDb();
  const [actors, actions] = await Promise.all([
    db.selectDistinct({ v: auditLog.actor }).from(auditLog).where(eq(auditLog.orgId, orgId)).orderBy(asc(auditLog.actor)).limit(200),
    db.selectDistinct({ v: auditLog.action }).from(auditLog).where(eq(auditLog.orgId, orgId)).orderBy(asc(auditLog.action)).limit(200),
  ]);
  return { actors: actors.map((r) => r.v), actions: actions.map((r) => r.v) };
}
