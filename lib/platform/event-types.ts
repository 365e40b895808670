import { z } from 'zod';
import { asc, eq, gt, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { getDb } from '@/lib/db';
import { platformEventTypes, type PlatformEventType } from '@/db/schema';
import { assertCan, type Actor } from '@/lib/auth/permissions';
import { UserError } from '@/lib/errors';
import { checkSchemaAndSample, eventTypeFields, eventTypeInputSchema } from '@/lib/webhooks/event-types';

// A platform event type: the same name rules, schema and sample checks as a tenant's own.
export const platformEventTypeInputSchema = z.strictObject({
  description: eventTypeFields.description.default(''),
  schema: eventTypeFields.schema,
  sample: eventTypeFields.sample,
  deprecated: z.boolean({ message: 'deprecated must be true or false.' }).default(false),
});

// Orders tenant creation (shared: tenants are made side by side) against platform event-type changes (exclusive),
// so no tenant misses a type defined while it is being made. Held to the end of the transaction.
export async function lockPlatformCatalog(tx: Tx, mode: 'shared' | 'exclusive'): Promise<void> {
  await tx.execute(mode === 'shared' ? sql`select pg_advisory_xact_lock_shared(7240193)` : sql`select pg_advisory_xact_lock(7240193)`);
}

// Copies every platform event type into one organization's catalog (replacing a same-named type in place), in the caller's transaction.
export async function copyPlatformEventTypes(tx: Tx, orgId: string): Promise<void> {
  await tx.execute(sql`
    insert into event_types (id, org_id, name, description, schema, sample, deprecated, managed)
    select 'et_' || substr(md5(random()::text || p.name), 1, 26), ${orgId}, p.name, p.description, p.schema, p.sample, p.deprecated, true
    from platform_event_types p
    on conflict (org_id, name) do update set description = excluded.description, schema = excluded.schema,
      sample = excluded.sample, deprecated = excluded.deprecated, managed = true, updated_at = now()`);
}

// Defines or changes a platform event type and writes it into every tenant's catalog (present now; future tenants get it
// when created). A tenant's own type of that name (e.g. the seeded compound.created) is replaced in place, keeping its
// subscriptions, and becomes managed.
export async function upsertPlatformEventType(actor: Actor, nameRaw: string, input: unknown): Promise<{ eventType: PlatformEventType; created: boolean }> {
  assertCan(actor, 'platform.write');
  const name = eventTypeInputSchema.shape.name.safeParse(nameRaw);
  if (!name.success) throw new UserError(name.error.issues[0]!.message, { name: name.error.issues.map((i) => i.message) });
  const r = platformEventTypeInputSchema.safeParse(input);
  if (!r.success) throw new UserError('Check the highlighted fields.', z.flattenError(r.error).fieldErrors as Record<string, string[]>);
  const values = r.data;
  await checkSchemaAndSample(values.schema, values.sample);
  return (await getDb()).transaction(async (tx) => {
    await lockPlatformCatalog(tx, 'exclusive');
    const [existing] = await tx.select({ name: platformEventTypes.name }).from(platformEventTypes).where(eq(platformEventTypes.name, name.data));
    const [row] = await tx
      .insert(platformEventTypes)
      .values({ name: name.data, ...values })
      .onConflictDoUpdate({ target: platformEventTypes.name, set: { ...values, updatedAt: new Date() } })
      .returning();
    await tx.execute(sql`
      insert into event_types (id, org_id, name, description, schema, sample, deprecated, managed)
      select 'et_' || substr(md5(random()::text || o.id), 1, 26), o.id, ${row!.name}, ${row!.description},
        ${JSON.stringify(row!.schema)}::json, ${JSON.stringify(row!.sample)}::json, ${row!.deprecated}, true
      from organizations o where o.external_id is not null
      on conflict (org_id, name) do update set description = excluded.description, schema = excluded.schema,
        sample = excluded.sample, deprecated = excluded.deprecated, managed = true, updated_at = now()`);
    return { eventType: row!, created: !existing };
  });
}

// One page of the platform's event types, by name; pass nextCursor back for the next page.
export async function listPlatformEventTypes(opts: { cursor?: string | null; limit?: number } = {}): Promise<{ data: PlatformEventType[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 100) || 100, 1), 200);
  const rows = await (await getDb())
    .select()
    .from(platformEventTypes)
    .where(opts.cursor ? gt(platformEventTypes.name, opts.cursor) : undefined)
    .orderBy(asc(platformEventTypes.name))
    .limit(limit + 1);
  const data = rows.slice(0, limit);
  return { data, nextCursor: rows.length > limit ? data[data.length - 1]!.name : null };
}
