import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { newId } from '@/db/ids';
import { memberships, organizations, portalSessions, portalTokens, users, type Role } from '@/db/schema';
import { assertCan, type Actor } from '@/lib/auth/permissions';
import { env } from '@/lib/env';
import { NotFoundError, UserError } from '@/lib/errors';
import { parseExternalId } from './tenants';

export { PORTAL_COOKIE } from './embed';
/** How long a portal link can be redeemed. */
export const PORTAL_LINK_SECONDS = 300;
export const PORTAL_ROLES = ['viewer', 'developer', 'admin'] as const satisfies readonly Role[];

export const portalSessionInputSchema = z.strictObject({
  user: z.strictObject({
    id: z.string({ message: 'user.id must be a string.' }).min(1, "user.id must be the platform's user id.").max(256, 'user.id must be at most 256 characters.'),
    email: z.string().trim().max(254).pipe(z.email('user.email must be an email address.')).optional(),
    name: z.string().trim().max(200, 'user.name must be at most 200 characters.').optional(),
  }),
  role: z.enum(PORTAL_ROLES, { message: 'role must be viewer, developer or admin.' }),
  returnUrl: z
    .url({ protocol: /^https?$/, message: 'returnUrl must be an http(s) URL of the platform, e.g. https://app.example.com/settings.' })
    .max(2000, 'returnUrl must be at most 2000 characters.')
    .optional(),
  ttlSeconds: z.number().int('ttlSeconds must be whole seconds.').min(60, 'ttlSeconds must be at least 60.').max(86_400, 'ttlSeconds must be at most 86400 (24 h).').default(3600),
  embed: z.boolean({ message: 'embed must be true or false.' }).default(false),
});
export type PortalSessionInput = z.input<typeof portalSessionInputSchema>;

const hash = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const SESSION_PATTERN = /^[ep]\.[A-Za-z0-9_-]{43}$/;

// Whether a portal cookie value is of an embedded session (checked for real by getPortalSession).
export function isEmbedCookie(value: string | undefined): boolean {
  return !!value && value.startsWith('e.');
}

// A portal link for one user of one tenant: single use, redeemable for 5 minutes. Only the token's hash is stored.
export async function createPortalLink(actor: Actor, externalIdRaw: string, input: unknown): Promise<{ url: string; expiresAt: Date }> {
  assertCan(actor, 'platform.write');
  const externalId = parseExternalId(externalIdRaw);
  const r = portalSessionInputSchema.safeParse(input);
  if (!r.success) throw new UserError('Check the highlighted fields.', z.flattenError(r.error).fieldErrors as Record<string, string[]>);
  const v = r.data;
  const db = await getDb();
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.externalId, externalId)).limit(1);
  if (!org) throw new NotFoundError('Tenant');
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + PORTAL_LINK_SECONDS * 1000);
  await db.insert(portalTokens).values({
    id: newId('ptk'),
    orgId: org.id,
    hash: hash(token),
    platformUserId: v.user.id,
    email: v.user.email ?? null,
    name: v.user.name ?? null,
    role: v.role,
    returnUrl: v.returnUrl ?? null,
    ttlSeconds: v.ttlSeconds,
    embed: v.embed,
    expiresAt,
  });
  return { url: `${env().PUBLIC_URL}/portal/${token}`, expiresAt };
}

/** A redeemed link: the cookie value to set and until when. */
export type RedeemedPortal = { secret: string; expiresAt: Date; orgId: string; userId: string; embed: boolean };

// Redeems a portal link once: makes (or finds) the tenant's user for that platform user, gives it the role in that
// tenant only, and starts a session. Null when the token is unknown, used, expired or forged.
export async function redeemPortalLink(token: string): Promise<RedeemedPortal | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [link] = await tx
      .update(portalTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(portalTokens.hash, hash(token)), isNull(portalTokens.usedAt), gt(portalTokens.expiresAt, new Date())))
      .returning();
    if (!link) return null;
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.portalOrgId, link.orgId), eq(users.portalUserId, link.platformUserId)))
      .for('update');
    const userId = existing?.id ?? newId('usr');
    const label = link.email ?? link.platformUserId;
    if (existing) {
      await tx.update(users).set({ name: link.name ?? label }).where(eq(users.id, userId));
    } else {
      // No password and an address that cannot receive mail: a portal user signs in only through links.
      await tx.insert(users).values({ id: userId, email: `${userId}@portal.invalid`, name: link.name ?? label, passwordHash: '!', portalOrgId: link.orgId, portalUserId: link.platformUserId });
    }
    await tx
      .insert(memberships)
      .values({ orgId: link.orgId, userId, role: link.role })
      .onConflictDoUpdate({ target: [memberships.orgId, memberships.userId], set: { role: link.role } });
    // "e." marks an embedded session, so the proxy can send its frame-ancestors without a database read;
    // the marker is part of the hashed secret, so changing it ends the session.
    const secret = `${link.embed ? 'e' : 'p'}.${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(Date.now() + link.ttlSeconds * 1000);
    await tx.insert(portalSessions).values({
      id: newId('pss'),
      orgId: link.orgId,
      userId,
      hash: hash(secret),
      role: link.role,
      returnUrl: link.returnUrl,
      embed: link.embed,
      expiresAt,
      label: `${label} (via platform)`,
    });
    await tx.delete(portalTokens).where(and(eq(portalTokens.orgId, link.orgId), lt(portalTokens.expiresAt, new Date(Date.now() - 86_400_000))));
    return { secret, expiresAt, orgId: link.orgId, userId, embed: link.embed };
  });
}

/** A live portal session: who acts, in which tenant, and how the pages look. */
export type PortalVisit = Actor & { kind: 'portal'; orgName: string; returnUrl: string | null; embed: boolean; expiresAt: Date };

// The portal session of a cookie value, or null when unknown, ended or expired.
export async function getPortalSession(secret: string | undefined | null): Promise<PortalVisit | null> {
  if (!secret || !SESSION_PATTERN.test(secret)) return null;
  const db = await getDb();
  const [row] = await db
    .select({ s: portalSessions, orgName: organizations.name })
    .from(portalSessions)
    .innerJoin(organizations, eq(organizations.id, portalSessions.orgId))
    .where(and(eq(portalSessions.hash, hash(secret)), gt(portalSessions.expiresAt, new Date())))
    .limit(1);
  if (!row) return null;
  const s = row.s;
  return { orgId: s.orgId, id: s.userId, label: s.label, role: s.role, kind: 'portal', orgName: row.orgName, returnUrl: s.returnUrl, embed: s.embed, expiresAt: s.expiresAt };
}

// Ends every portal session of a tenant at once (and its unredeemed links).
export async function endPortalSessions(actor: Actor, externalIdRaw: string): Promise<void> {
  assertCan(actor, 'platform.write');
  const externalId = parseExternalId(externalIdRaw);
  const db = await getDb();
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.externalId, externalId)).limit(1);
  if (!org) throw new NotFoundError('Tenant');
  await db.transaction(async (tx) => {
    await tx.delete(portalSessions).where(eq(portalSessions.orgId, org.id));
    await tx.delete(portalTokens).where(eq(portalTokens.orgId, org.id));
  });
}
