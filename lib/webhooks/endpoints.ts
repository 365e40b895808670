import { z } from 'zod';
import { and, asc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { getDb } from '@/lib/db';
import { newId } from '@/db/ids';
import { deliveries, endpoints, endpointSecrets, eventTypes, organizations, type Endpoint } from '@/db/schema';
import { assertCan, type Actor } from '@/lib/auth/permissions';
import { openHeaders, sealContext, sealHeaders, sealSecret } from '@/lib/crypto';
import { checkUrl, type Resolver } from '@/lib/delivery/url-guard';
import { notifyWork } from '@/lib/delivery/wake';
import { env } from '@/lib/env';
import { NotFoundError, UserError } from '@/lib/errors';
import { generateSecret } from '@/lib/signing';
import { recordAudit } from '@/lib/audit/log';
import { endpointInputSchema, endpointPatchSchema, MASKED_HEADER_VALUE, type EndpointInput, type EndpointPatch } from './endpoint-input';

export { endpointInputSchema, endpointPatchSchema, headerProblems, MAX_HEADERS, MASKED_HEADER_VALUE } from './endpoint-input';
export type { EndpointInput, EndpointPatch } from './endpoint-input';

// An endpoint as the dashboard and the API show it: its settings (custom header values masked: they are secrets),
// health, and deliveries of the last 24 hours (skipped ones are not counted: they were never sent).
export type EndpointView = Omit<Endpoint, 'orgId'> & {
  status: 'active' | 'failing' | 'paused' | 'disabled';
  deliveries24h: { succeeded: number; failed: number; pending: number };
};

// Lets tests make hostnames resolve without a network.
export type UrlCheckOptions = { resolve?: Resolver };

const DAY_MS = 86_400_000;

function toView(row: Endpoint, counts?: EndpointView['deliveries24h']): EndpointView {
  const { orgId: _orgId, ...rest } = row;
  const status = !row.enabled ? 'disabled' : row.pausedAt ? 'paused' : row.consecutiveFailures > 0 ? 'failing' : 'active';
  const headers = Object.fromEntries(Object.keys(row.headers ?? {}).map((n) => [n, MASKED_HEADER_VALUE]));
  return { ...rest, headers, status, deliveries24h: counts ?? { succeeded: 0, failed: 0, pending: 0 } };
}

async function recentCounts(db: Db, orgId: string, endpointId?: string) {
  const rows = await db
    .select({ endpointId: deliveries.endpointId, status: deliveries.status, n: sql<number>`count(*)::int` })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.orgId, orgId),
        endpointId ? eq(deliveries.endpointId, endpointId) : undefined,
        gte(deliveries.createdAt, new Date(Date.now() - DAY_MS)),
      ),
    )
    .groupBy(deliveries.endpointId, deliveries.status);
  const out = new Map<string, EndpointView['deliveries24h']>();
  for (const r of rows) {
    if (r.status === 'skipped') continue;
    const c = out.get(r.endpointId) ?? { succeeded: 0, failed: 0, pending: 0 };
    const key = r.status === 'succeeded' ? 'succeeded' : r.status === 'failed' ? 'failed' : 'pending';
    c[key] += Number(r.n);
    out.set(r.endpointId, c);
  }
  return out;
}

// Every endpoint of an organization, oldest first.
export async function listEndpoints(orgId: string): Promise<EndpointView[]> {
  const db = await getDb();
  const rows = await db.select().from(endpoints).where(and(eq(endpoints.orgId, orgId), eq(endpoints.kind, 'customer'))).orderBy(asc(endpoints.createdAt), asc(endpoints.id));
  const counts = rows.length ? await recentCounts(db, orgId) : new Map();
  return rows.map((r) => toView(r, counts.get(r.id)));
}

// One endpoint of an organization; NotFoundError when it is not there (or belongs to another).
export async function getEndpoint(orgId: string, id: string): Promise<EndpointView> {
  const db = await getDb();
  const row = await findEndpoint(db, orgId, id);
  return toView(row, (await recentCounts(db, orgId, id)).get(id));
}

async function findEndpoint(db: Db | Tx, orgId: string, id: string): Promise<Endpoint> {
  // an operational webhook (lib/alerts) is not a customer endpoint: it is managed on Settings → Alerts only
  const [row] = await db.select().from(endpoints).where(and(eq(endpoints.orgId, orgId), eq(endpoints.id, id), eq(endpoints.kind, 'customer'))).limit(1);
  if (!row) throw new NotFoundError('Endpoint');
  return row;
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new UserError('Check the highlighted fields.', z.flattenError(r.error).fieldErrors as Record<string, string[]>);
  return r.data;
}

// Checks what needs the database and the network: the URL guard and the org's catalog. Returns normalized event types.
async function checkTargets(
  orgId: string,
  values: { url?: string; eventTypes?: string[] },
  existing: string[],
  opts: UrlCheckOptions | undefined,
): Promise<string[] | undefined> {
  const errors: Record<string, string[]> = {};
  if (values.url !== undefined) {
    const r = await checkUrl(values.url, { allowPrivate: env().WEBHOOK_ALLOW_PRIVATE_TARGETS, resolve: opts?.resolve });
    if (!r.ok) errors.url = [r.message];
  }
  let types: string[] | undefined;
  if (values.eventTypes !== undefined) {
    types = values.eventTypes.includes('*') ? ['*'] : [...new Set(values.eventTypes)];
    const wanted = types.filter((t) => t !== '*');
    const db = await getDb();
    const found = wanted.length
      ? await db.select().from(eventTypes).where(and(eq(eventTypes.orgId, orgId), inArray(eventTypes.name, wanted)))
      : [];
    const byName = new Map(found.map((t) => [t.name, t]));
    const problems: string[] = [];
    for (const name of wanted) {
      const t = byName.get(name);
      if (!t) problems.push(`There is no event type "${name}"; add it under Settings → Event types, or pick one from the list.`);
      else if (t.deprecated && !existing.includes(name)) problems.push(`"${name}" is deprecated and takes no new subscriptions; pick its replacement.`);
    }
    if (problems.length) errors.eventTypes = problems;
  }
  if (Object.keys(errors).length) throw new UserError('Check the highlighted fields.', errors);
  return types;
}

// Creates an endpoint with its first signing secret; the secret is returned once here and stored sealed.
export async function createEndpoint(
  actor: Actor,
  input: EndpointInput,
  opts?: UrlCheckOptions,
): Promise<{ endpoint: EndpointView; secret: string }> {
  assertCan(actor, 'webhooks.write');
  const values = parse(endpointInputSchema, input);
  const masked = Object.keys(values.headers).filter((n) => values.headers[n] === MASKED_HEADER_VALUE);
  if (masked.length) throw new UserError('Check the highlighted fields.', { headers: masked.map(enterValue) });
  await assertEndpointQuota(await getDb(), actor.orgId);
  const types = (await checkTargets(actor.orgId, values, [], opts))!;
  const secret = generateSecret();
  const id = newId('ep');
  const row = await (await getDb()).transaction(async (tx) => {
    await assertEndpointQuota(tx, actor.orgId, true);
    const [created] = await tx
      .insert(endpoints)
      .values({ ...values, headers: sealHeaders(id, values.headers), id, orgId: actor.orgId, eventTypes: types })
      .returning();
    await tx.insert(endpointSecrets).values({ id: newId('whs'), orgId: actor.orgId, endpointId: id, sealed: sealSecret(secret, sealContext.endpointSecret(id)) });
    await recordAudit(tx, actor, 'endpoint.created', id, {
      url: values.url,
      eventTypes: types,
      format: values.format,
      headers: Object.keys(values.headers),
    });
    return created!;
  });
  return { endpoint: toView(row), secret };
}

// Changes an endpoint's settings; a subscription to a type deprecated since it was made may stay.
export async function updateEndpoint(actor: Actor, id: string, patch: EndpointPatch, opts?: UrlCheckOptions): Promise<EndpointView> {
  assertCan(actor, 'webhooks.write');
  const stored = await findEndpoint(await getDb(), actor.orgId, id);
  const current = { ...stored, headers: openHeaders(id, stored.headers ?? {}) };
  const values = parse(endpointPatchSchema, patch);
  if (values.headers) values.headers = keepMaskedValues(values.headers, current.headers);
  const types = await checkTargets(actor.orgId, values, current.eventTypes, opts);
  const changes = { ...values, ...(types ? { eventTypes: types } : {}) };
  const changed = (Object.keys(changes) as (keyof typeof changes)[]).filter(
    (k) => JSON.stringify(changes[k]) !== JSON.stringify(current[k]),
  );
  if (!changed.length) return getEndpoint(actor.orgId, id);
  // header values are written only sealed, and only when they changed
  const { headers: plainHeaders, ...rest } = changes;
  const set = { ...rest, ...(plainHeaders && changed.includes('headers') ? { headers: sealHeaders(id, plainHeaders) } : {}) };
  await (await getDb()).transaction(async (tx) => {
    const [row] = await tx
      .update(endpoints)
      .set({ ...set, updatedAt: new Date() })
      .where(and(eq(endpoints.orgId, actor.orgId), eq(endpoints.id, id), eq(endpoints.kind, 'customer')))
      .returning({ id: endpoints.id });
    if (!row) throw new NotFoundError('Endpoint');
    await recordAudit(tx, actor, 'endpoint.updated', id, {
      changed,
      ...(changes.url !== undefined ? { url: changes.url } : {}),
      ...(changes.eventTypes ? { eventTypes: changes.eventTypes } : {}),
      ...(changes.headers ? { headers: Object.keys(changes.headers) } : {}),
    });
  });
  return getEndpoint(actor.orgId, id);
}

// Deletes an endpoint with its secrets and deliveries.
export async function deleteEndpoint(actor: Actor, id: string): Promise<void> {
  assertCan(actor, 'endpoints.delete');
  await (await getDb()).transaction(async (tx) => {
    const [row] = await tx
      .delete(endpoints)
      .where(and(eq(endpoints.orgId, actor.orgId), eq(endpoints.id, id), eq(endpoints.kind, 'customer')))
      .returning({ id: endpoints.id, url: endpoints.url });
    if (!row) throw new NotFoundError('Endpoint');
    await recordAudit(tx, actor, 'endpoint.deleted', id, { url: row.url });
  });
}

// Disables or enables an endpoint. While disabled no attempts are made: its pending deliveries wait, and events
// published meanwhile are recorded for it as `skipped` (Replay skipped sends them). Enabling clears the reason and the
// failure run, and its pending deliveries go out again.
export async function setEndpointEnabled(actor: Actor, id: string, enabled: boolean): Promise<EndpointView> {
  assertCan(actor, 'webhooks.write');
  const now = new Date();
  const set = enabled
    ? { enabled: true, disabledReason: null, disabledAt: null, consecutiveFailures: 0, failingSince: null, updatedAt: now }
    : { enabled: false, disabledReason: `Disabled by ${actor.label}.`, disabledAt: now, updatedAt: now };
  await (await getDb()).transaction(async (tx) => {
    const current = await findEndpoint(tx, actor.orgId, id);
    if (current.enabled === enabled) return; // already so: nothing to change or record
    await tx.update(endpoints).set(set).where(and(eq(endpoints.orgId, actor.orgId), eq(endpoints.id, id)));
    await recordAudit(tx, actor, enabled ? 'endpoint.enabled' : 'endpoint.disabled', id, {
      url: current.url,
      ...(enabled && current.disabledReason ? { previousReason: current.disabledReason } : {}),
    });
  });
  if (enabled) await notifyWork(); // its waiting deliveries are due again
  return getEndpoint(actor.orgId, id);
}

// Pauses or resumes an endpoint (distinct from disabling): while paused no attempts are made and its deliveries stay
// pending — events published meanwhile included, none is skipped — and on Resume they all go out. Audited.
export async function setEndpointPaused(actor: Actor, id: string, paused: boolean): Promise<EndpointView> {
  assertCan(actor, 'webhooks.write');
  const now = new Date();
  let changed = false;
  await (await getDb()).transaction(async (tx) => {
    const current = await findEndpoint(tx, actor.orgId, id);
    if ((current.pausedAt !== null) === paused) return; // already so: nothing to change or record
    await tx
      .update(endpoints)
      .set({ pausedAt: paused ? now : null, updatedAt: now })
      .where(and(eq(endpoints.orgId, actor.orgId), eq(endpoints.id, id)));
    await recordAudit(tx, actor, paused ? 'endpoint.paused' : 'endpoint.resumed', id, { url: current.url });
    changed = true;
  });
  if (changed && !paused) await notifyWork(); // its waiting deliveries are due again
  return getEndpoint(actor.orgId, id);
}

// Custom header values sent back masked keep what is stored under the same name; a masked value with no stored value
// (a new or renamed header) must be typed.
function keepMaskedValues(headers: Record<string, string>, stored: Record<string, string>): Record<string, string> {
  const missing: string[] = [];
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== MASKED_HEADER_VALUE) out[name] = value;
    else if (Object.hasOwn(stored, name)) out[name] = stored[name]!;
    else missing.push(name);
  }
  if (missing.length) throw new UserError('Check the highlighted fields.', { headers: missing.map(enterValue) });
  return out;
}

function enterValue(name: string): string {
  return `Enter the value of "${name}": a hidden value is kept only for a header that keeps its name.`;
}

// Refuses a new endpoint when the organization has HOOKRELAY_MAX_ENDPOINTS_PER_ORG; `lock` (inside the creating
// transaction) locks the organization row first, so that creations racing for the last place take turns.
async function assertEndpointQuota(db: Db | Tx, orgId: string, lock = false): Promise<void> {
  if (lock) await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId)).for('update');
  const max = env().HOOKRELAY_MAX_ENDPOINTS_PER_ORG;
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(endpoints).where(and(eq(endpoints.orgId, orgId), eq(endpoints.kind, 'customer')));
  if (Number(n) >= max) {
    throw new UserError(
      `This organization has ${Number(n)} endpoints, the most it may have (HOOKRELAY_MAX_ENDPOINTS_PER_ORG = ${max}); delete an endpoint it no longer needs, or ask the operator to raise the limit.`,
      {},
      'conflict',
    );
  }
}

// The custom header values of an endpoint in full, for a developer or above; every reveal is audited.
export async function revealEndpointHeaders(actor: Actor, id: string): Promise<Record<string, string>> {
  assertCan(actor, 'secrets.reveal');
  return (await getDb()).transaction(async (tx) => {
    const row = await findEndpoint(tx, actor.orgId, id);
    const headers = openHeaders(id, row.headers ?? {});
    await recordAudit(tx, actor, 'endpoint.headers_revealed', id, { headers: Object.keys(headers) });
    return headers;
  });
}

// The custom header values of an endpoint, opened, for sending (Check endpoint); never shown, so not audited.
export async function endpointHeadersForSending(orgId: string, id: string): Promise<Record<string, string>> {
  const row = await findEndpoint(await getDb(), orgId, id);
  return openHeaders(id, row.headers ?? {});
}
