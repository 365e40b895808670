import { and, desc, eq, isNotNull, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { getDb } from '@/lib/db';
import { newId } from '@/db/ids';
import { endpoints, endpointSecrets, type EndpointSecret } from '@/db/schema';
import { assertCan, type Actor } from '@/lib/auth/permissions';
import { openSecret, sealContext, sealSecret } from '@/lib/crypto';
import { NotFoundError, UserError } from '@/lib/errors';
import { generateSecret } from '@/lib/signing';
import { recordAudit } from '@/lib/audit/log';

// Longest grace period a rotation may keep the previous secret signing (7 days), and the default (24 h).
export const MAX_GRACE_SECONDS = 604_800;
export const DEFAULT_GRACE_SECONDS = 86_400;

// A secret as the dashboard lists it before reveal.
export type MaskedSecret = { id: string; createdAt: Date; expiresAt: Date | null; masked: string };
// A revealed secret: expiresAt is null on the current one, the end of its grace period on the previous one.
export type RevealedSecret = { secret: string; createdAt: Date; expiresAt: Date | null };

// Locks the endpoint row (serializing rotations) and checks it belongs to the organization.
async function lockEndpoint(tx: Tx, orgId: string, endpointId: string): Promise<void> {
  const [row] = await tx
    .select({ id: endpoints.id })
    .from(endpoints)
    .where(and(eq(endpoints.orgId, orgId), eq(endpoints.id, endpointId)))
    .for('update');
  if (!row) throw new NotFoundError('Endpoint');
}

async function assertEndpoint(db: Db, orgId: string, endpointId: string): Promise<void> {
  const [row] = await db.select({ id: endpoints.id }).from(endpoints).where(and(eq(endpoints.orgId, orgId), eq(endpoints.id, endpointId)));
  if (!row) throw new NotFoundError('Endpoint');
}

// The live secrets of an endpoint, newest (current) first; secrets whose grace has ended are deleted on the way.
async function liveSecrets(db: Db | Tx, orgId: string, endpointId: string, now = new Date()): Promise<EndpointSecret[]> {
  const mine = and(eq(endpointSecrets.orgId, orgId), eq(endpointSecrets.endpointId, endpointId));
  await db.delete(endpointSecrets).where(and(mine, lte(endpointSecrets.expiresAt, now)));
  return db
    .select()
    .from(endpointSecrets)
    .where(mine)
    .orderBy(sql`${endpointSecrets.expiresAt} desc nulls first`, desc(endpointSecrets.createdAt), desc(endpointSecrets.id));
}

function mask(secret: string): string {
  return `whsec_••••••••${secret.slice(-4)}`;
}

// The live secrets of an endpoint, masked, newest first.
export async function listSecretsMasked(orgId: string, endpointId: string): Promise<MaskedSecret[]> {
  const db = await getDb();
  await assertEndpoint(db, orgId, endpointId);
  const rows = await liveSecrets(db, orgId, endpointId);
  return rows.map((r) => ({ id: r.id, createdAt: r.createdAt, expiresAt: r.expiresAt, masked: mask(openSecret(r.sealed, sealContext.endpointSecret(endpointId))) }));
}

// Shows the live secrets of an endpoint in full, newest first; every reveal is audited.
export async function revealSecrets(actor: Actor, endpointId: string): Promise<RevealedSecret[]> {
  assertCan(actor, 'secrets.reveal');
  return (await getDb()).transaction(async (tx) => {
    await lockEndpoint(tx, actor.orgId, endpointId);
    const rows = await liveSecrets(tx, actor.orgId, endpointId);
    await recordAudit(tx, actor, 'secret.revealed', endpointId, { secrets: rows.length });
    return rows.map((r) => ({ secret: openSecret(r.sealed, sealContext.endpointSecret(endpointId)), createdAt: r.createdAt, expiresAt: r.expiresAt }));
  });
}

// Issues a new secret; the current one keeps signing for `graceSeconds` (0 ends it now), and an older one still in grace ends at once.
export async function rotateSecret(
  actor: Actor,
  endpointId: string,
  graceSeconds: number = DEFAULT_GRACE_SECONDS,
): Promise<{ secret: string; previousGraceEndsAt: Date | null }> {
  assertCan(actor, 'secrets.rotate');
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) {
    throw new UserError('Check the highlighted fields.', {
      graceSeconds: [`The grace period must be a whole number of seconds from 0 (end now) to ${MAX_GRACE_SECONDS} (7 days).`],
    });
  }
  const secret = generateSecret();
  return (await getDb()).transaction(async (tx) => {
    await lockEndpoint(tx, actor.orgId, endpointId);
    const now = new Date();
    const mine = and(eq(endpointSecrets.orgId, actor.orgId), eq(endpointSecrets.endpointId, endpointId));
    const live = await liveSecrets(tx, actor.orgId, endpointId, now);
    const ended = await tx.delete(endpointSecrets).where(and(mine, isNotNull(endpointSecrets.expiresAt))).returning({ id: endpointSecrets.id });
    const current = live.find((s) => s.expiresAt === null);
    let previousGraceEndsAt: Date | null = null;
    if (current && graceSeconds > 0) {
      previousGraceEndsAt = new Date(now.getTime() + graceSeconds * 1000);
      await tx.update(endpointSecrets).set({ expiresAt: previousGraceEndsAt }).where(and(mine, eq(endpointSecrets.id, current.id)));
    } else if (current) {
      await tx.delete(endpointSecrets).where(and(mine, eq(endpointSecrets.id, current.id)));
    }
    await tx.insert(endpointSecrets).values({ id: newId('whs'), orgId: actor.orgId, endpointId, sealed: sealSecret(secret, sealContext.endpointSecret(endpointId)), createdAt: now });
    await recordAudit(tx, actor, 'secret.rotated', endpointId, {
      graceSeconds,
      previousGraceEndsAt: previousGraceEndsAt?.toISOString() ?? null,
      olderGraceEnded: ended.length > 0,
    });
    return { secret, previousGraceEndsAt };
  });
}

// Ends the grace period now: only the current secret signs from here on. Doing it twice changes nothing.
export async function endGracePeriod(actor: Actor, endpointId: string): Promise<{ ended: number }> {
  assertCan(actor, 'secrets.rotate');
  return (await getDb()).transaction(async (tx) => {
    await lockEndpoint(tx, actor.orgId, endpointId);
    const mine = and(eq(endpointSecrets.orgId, actor.orgId), eq(endpointSecrets.endpointId, endpointId));
    const ended = await tx.delete(endpointSecrets).where(and(mine, isNotNull(endpointSecrets.expiresAt))).returning({ id: endpointSecrets.id });
    if (ended.length) await recordAudit(tx, actor, 'secret.grace_ended', endpointId, { ended: ended.length });
    return { ended: ended.length };
  });
}

// Which secret the vendor headers (axifi, axle) sign with: the previous one until its grace ends, then the current one.
export async function vendorHeaderCutover(
  orgId: string,
  endpointId: string,
): Promise<{ signsWith: 'previous' | 'current'; until: Date | null }> {
  const db = await getDb();
  await assertEndpoint(db, orgId, endpointId);
  const live = await liveSecrets(db, orgId, endpointId);
  const previous = live.find((s) => s.expiresAt !== null);
  return previous ? { signsWith: 'previous', until: previous.expiresAt } : { signsWith: 'current', until: null };
}
