import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Tx } from '@/db/client';
import { getDb, getDbHandle } from '@/lib/db';
import { newId } from '@/db/ids';
import { apiKeys, organizations, users, type ApiKey, type Role } from '@/db/schema';
import { announceAccessChange, notifyAccessChange } from '@/lib/auth/access-signal';
import { assertCan, ForbiddenError, roleAtLeast, type Actor } from '@/lib/auth/permissions';
import { env } from '@/lib/env';
import { cachedKey, cacheTicket, rememberKey } from './key-cache';
import { NotFoundError, UserError } from '@/lib/errors';
import { recordAudit } from '@/lib/audit/log';

// The roles a key may carry; a key never outranks the member who creates it.
export const API_KEY_ROLES = ['developer', 'admin'] as const satisfies readonly Role[];

export const apiKeyInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Give the key a name, e.g. "Billing service".')
    .max(100, 'Name must be at most 100 characters.'),
  role: z.enum(API_KEY_ROLES, { message: 'Choose developer or admin.' }),
});
export type ApiKeyInput = z.input<typeof apiKeyInputSchema>;

/** A key as listed: never its hash. */
export type ApiKeySummary = Pick<ApiKey, 'id' | 'name' | 'prefix' | 'role' | 'createdAt' | 'lastUsedAt' | 'revokedAt'> & {
  createdBy: string | null;
};

const KEY_PATTERN = /^hr_[A-Za-z0-9_-]{32}$/;
const PREFIX_LENGTH = 7;
const LAST_USED_EVERY_MS = 60_000;

// SHA-256 hex of a whole key, as stored.
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

// A new key: "hr_" + 32 base64url characters (24 random bytes).
export function generateApiKey(): string {
  return `hr_${randomBytes(24).toString('base64url')}`;
}

// Creates a key for the actor's organization; the key itself is returned once and only its hash is kept.
export async function createApiKey(actor: Actor, input: ApiKeyInput): Promise<{ key: string; apiKey: ApiKeySummary }> {
  assertCan(actor, 'api-keys.write');
  if (actor.kind !== 'user') throw new ForbiddenError('api-keys.write');
  const parsed = apiKeyInputSchema.safeParse(input);
  if (!parsed.success) throw new UserError('Check the highlighted fields.', z.flattenError(parsed.error).fieldErrors);
  const { name, role } = parsed.data;
  if (!roleAtLeast(actor.role, role)) {
    throw new UserError('Check the highlighted fields.', { role: [`A key cannot have a role above yours (${actor.role}).`] });
  }
  const key = generateApiKey();
  const row = {
    id: newId('key'),
    orgId: actor.orgId,
    name,
    prefix: key.slice(0, PREFIX_LENGTH),
    hash: hashApiKey(key),
    role,
    createdBy: actor.id,
  };
  const db = await getDb();
  const [created] = await db.transaction(async (tx) => {
    await assertApiKeyQuota(tx, actor.orgId);
    const inserted = await tx.insert(apiKeys).values(row).returning();
    await recordAudit(tx, actor, 'api_key.created', row.id, { name, role, prefix: row.prefix });
    return inserted;
  });
  const { hash: _hash, orgId: _org, createdBy: _by, ...rest } = created!;
  return { key, apiKey: { ...rest, createdBy: actor.label } };
}

// Refuses a new key when the organization has HOOKRELAY_MAX_API_KEYS_PER_ORG working (unrevoked) keys; the
// organization row is locked first, so that creations racing for the last place take turns.
async function assertApiKeyQuota(tx: Tx, orgId: string): Promise<void> {
  await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId)).for('update');
  const max = env().HOOKRELAY_MAX_API_KEYS_PER_ORG;
  const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(apiKeys).where(and(eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)));
  if (Number(n) >= max) {
    throw new UserError(
      `This organization has ${Number(n)} API keys, the most it may have (HOOKRELAY_MAX_API_KEYS_PER_ORG = ${max}); revoke a key it no longer uses, or ask the operator to raise the limit.`,
      {},
      'conflict',
    );
  }
}

// The organization's keys that still work, newest first, with the creator's email.
export async function listApiKeys(orgId: string): Promise<ApiKeySummary[]> {
  const db = await getDb();
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      role: apiKeys.role,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
      createdBy: users.email,
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(and(eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.id));
}

// Revokes a key at once: the next request with it is answered 401, in this process and (by NOTIFY) in every other.
export async function revokeApiKey(actor: Actor, id: string): Promise<void> {
  assertCan(actor, 'api-keys.write');
  const handle = await getDbHandle();
  await handle.db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.orgId, actor.orgId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix });
    if (!revoked) throw new NotFoundError('API key');
    await recordAudit(tx, actor, 'api_key.revoked', revoked.id, { name: revoked.name, prefix: revoked.prefix });
    await notifyAccessChange(tx, handle.kind, { keyId: revoked.id });
  });
  announceAccessChange({ keyId: id });
}

// The actor of a request's key (an Authorization header value or the bare key), or null when missing, unknown, revoked,
// or when the member who made it is no longer in the organization. The key acts with the lower of its own role and its
// creator's current role. Answers from the process's cache when it can; records the time of use at most once a minute.
export async function authenticateApiKey(bearer: string | null | undefined): Promise<Actor | null> {
  const key = (bearer ?? '').trim().replace(/^Bearer\s+/i, '');
  if (!KEY_PATTERN.test(key)) return null;
  const hash = hashApiKey(key);
  const handle = await getDbHandle();
  const now = Date.now();
  const hit = cachedKey(handle, hash);
  if (hit) {
    if (hit.lastUsedAt === null || now - hit.lastUsedAt >= LAST_USED_EVERY_MS) {
      hit.lastUsedAt = now;
      void recordUse(hit.actor.id, now);
    }
    return hit.actor;
  }
  const ticket = cacheTicket();
  const [row] = await queryRows<{ id: string; org_id: string; name: string; role: Role; last_used_at: string | Date | null; created_by: string | null; creator_role: Role | null }>(
    handle.db,
    sql`select k.id, k.org_id, k.name, k.role, k.last_used_at, k.created_by, m.role as creator_role
        from api_keys k left join memberships m on m.org_id = k.org_id and m.user_id = k.created_by
        where k.hash = ${hash} and k.revoked_at is null limit 1`,
  );
  if (!row || !row.created_by || !row.creator_role) return null;
  const role = roleAtLeast(row.role, row.creator_role) ? row.creator_role : row.role;
  const actor: Actor = { orgId: row.org_id, id: row.id, label: `API key ${row.name}`, role, kind: 'api_key' };
  let lastUsedAt = row.last_used_at === null ? null : new Date(row.last_used_at).getTime();
  if (lastUsedAt === null || now - lastUsedAt >= LAST_USED_EVERY_MS) {
    await recordUse(row.id, now);
    lastUsedAt = now;
  }
  rememberKey(handle, hash, { actor, createdBy: row.created_by, lastUsedAt }, ticket);
  return actor;
}

// Records a key's time of use, unless another process did in the last minute. Never throws.
async function recordUse(id: string, now: number): Promise<void> {
  try {
    const db = await getDb();
    const stale = new Date(now - LAST_USED_EVERY_MS);
    await db
      .update(apiKeys)
      .set({ lastUsedAt: new Date(now) })
      .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale))));
  } catch (e) {
    console.error('api key: recording last use failed', (e as Error).message);
  }
}
