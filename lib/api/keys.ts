import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, type Tx } from '../../db/client';
import { newId } from '../../db/ids';
import { apiKeys, organizations, users, type ApiKey, type Role } from '../../db/schema';
import { assertCan, ForbiddenError, roleAtLeast, type Actor } from '../auth/permissions';
import { env } from '../env';
import { NotFoundError, UserError } from '../errors';
import { recordAudit } from '../webhooks/audit';

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

// Revokes a key at once: the next request with it is answered 401.
export async function revokeApiKey(actor: Actor, id: string): Promise<void> {
  assertCan(actor, 'api-keys.write');
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.orgId, actor.orgId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix });
    if (!revoked) throw new NotFoundError('API key');
    await recordAudit(tx, actor, 'api_key.revoked', revoked.id, { name: revoked.name, prefix: revoked.prefix });
  });
}

// The actor of a request's key (an Authorization header value or the bare key), or null when missing, unknown or revoked.
// Records the time of use at most once a minute per key.
export async function authenticateApiKey(bearer: string | null | undefined): Promise<Actor | null> {
  const key = (bearer ?? '').trim().replace(/^Bearer\s+/i, '');
  if (!KEY_PATTERN.test(key)) return null;
  const db = await getDb();
  const [row] = await db
    .select({ id: apiKeys.id, orgId: apiKeys.orgId, name: apiKeys.name, role: apiKeys.role, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, hashApiKey(key)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row) return null;
  const now = Date.now();
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
    const stale = new Date(now - LAST_USED_EVERY_MS);
    await db
      .update(apiKeys)
      .set({ lastUsedAt: new Date(now) })
      .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale))))
      .catch((e: unknown) => console.error('api key: recording last use failed', (e as Error).message));
  }
  return { orgId: row.orgId, id: row.id, label: `API key ${row.name}`, role: row.role, kind: 'api_key' };
}
