import { z } from 'zod';
import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { getDb } from '@/lib/db';
import { newId } from '@/db/ids';
import { eventTypes, type EventType } from '@/db/schema';
import { assertCan, type Actor } from '@/lib/auth/permissions';
import { NotFoundError, UserError } from '@/lib/errors';
import { recordAudit } from '@/lib/audit/log';
import { checkObjectSchema } from './json-schema';
import { compileSchemaBounded } from './schema-compile';
import { MAX_SCHEMA_BYTES } from './schema-limits';

// The catalog every new organization starts with, seeded inside the caller's transaction.
export { seedEventTypes, DEFAULT_EVENT_TYPES } from './catalog';

const MAX_JSON_BYTES = MAX_SCHEMA_BYTES;
const jsonObject = (what: string) =>
  z
    .record(z.string(), z.unknown(), { message: `The ${what} must be a JSON object.` })
    .refine((v) => Buffer.byteLength(JSON.stringify(v)) <= MAX_JSON_BYTES, `The ${what} must be at most 64 KiB of JSON.`);

export const eventTypeFields = {
  description: z.string().trim().max(1000, 'The description must be at most 1000 characters.'),
  schema: jsonObject('schema'),
  sample: jsonObject('sample'),
};

// A new event type: a dotted lower-case name (compound.created), its data's JSON Schema and a sample that passes it.
export const eventTypeInputSchema = z.object({
  name: z
    .string()
    .trim()
    .max(100, 'The name must be at most 100 characters.')
    .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'Use lower-case words joined by dots, like compound.created.'),
  description: eventTypeFields.description.default(''),
  schema: eventTypeFields.schema,
  sample: eventTypeFields.sample,
});

// A change to an event type; its name stays, since subscriptions and events refer to it.
export const eventTypeUpdateSchema = z.object(eventTypeFields).partial();

export type EventTypeInput = z.input<typeof eventTypeInputSchema>;
export type EventTypeUpdate = z.input<typeof eventTypeUpdateSchema>;

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new UserError('Check the highlighted fields.', z.flattenError(r.error).fieldErrors as Record<string, string[]>);
  return r.data;
}

// The schema must be within the limits, describe an object and compile (in a worker thread, with a deadline), and
// the sample must pass it and be sendable in every wire format.
export async function checkSchemaAndSample(schema: Record<string, unknown>, sample: Record<string, unknown>): Promise<void> {
  const errors: Record<string, string[]> = {};
  const schemaProblems = checkObjectSchema(schema);
  if (schemaProblems.length) errors.schema = schemaProblems;
  else {
    const compiled = await compileSchemaBounded(schema, sample);
    if (compiled.schema) errors.schema = compiled.schema;
    else if (compiled.sample) errors.sample = compiled.sample.map((p) => `The sample does not match the schema: ${p}.`);
  }
  const reserved = Object.keys(sample).filter((k) => k === 'event_type' || k === 'timestamp' || /^(0|[1-9]\d*)$/.test(k));
  if (reserved.length) {
    (errors.sample ??= []).push(
      `The sample may not have the top-level key${reserved.length > 1 ? 's' : ''} ${reserved.map((k) => `"${k}"`).join(', ')}: ` +
        'event_type, timestamp and integer-like keys are refused at publish (the axle format needs them); rename them.',
    );
  }
  if (Object.keys(errors).length) throw new UserError('Check the highlighted fields.', errors);
}

// The catalog of an organization, by name; deprecated types included unless asked otherwise.
export async function listEventTypes(orgId: string, opts: { includeDeprecated?: boolean } = {}): Promise<EventType[]> {
  const db = await getDb();
  return db
    .select()
    .from(eventTypes)
    .where(and(eq(eventTypes.orgId, orgId), opts.includeDeprecated === false ? eq(eventTypes.deprecated, false) : undefined))
    .orderBy(asc(eventTypes.name));
}

// One event type of an organization by name; NotFoundError when it is not in the catalog.
export async function getEventType(orgId: string, name: string): Promise<EventType> {
  const [row] = await (await getDb())
    .select()
    .from(eventTypes)
    .where(and(eq(eventTypes.orgId, orgId), eq(eventTypes.name, name)))
    .limit(1);
  if (!row) throw new NotFoundError('Event type');
  return row;
}

async function findForUpdate(tx: Tx, orgId: string, name: string): Promise<EventType> {
  const [row] = await tx
    .select()
    .from(eventTypes)
    .where(and(eq(eventTypes.orgId, orgId), eq(eventTypes.name, name)))
    .for('update');
  if (!row) throw new NotFoundError('Event type');
  if (row.managed) throw new UserError(MANAGED_MESSAGE(name));
  return row;
}

// Types the platform defines are changed only through the platform API.
const MANAGED_MESSAGE = (name: string) =>
  `${name} is managed by the platform: its description, schema and sample are set by the platform and cannot be edited or deprecated here.`;

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; cause?: { code?: string } };
  return err?.code === '23505' || err?.cause?.code === '23505';
}

// Adds an event type to the organization's catalog.
export async function createEventType(actor: Actor, input: EventTypeInput): Promise<EventType> {
  assertCan(actor, 'event-types.write');
  const values = parse(eventTypeInputSchema, input);
  await checkSchemaAndSample(values.schema, values.sample);
  const taken = () => new UserError('Check the highlighted fields.', { name: [`An event type named "${values.name}" already exists; choose another name or edit that one.`] }, 'conflict');
  try {
    return await (await getDb()).transaction(async (tx) => {
      const [exists] = await tx
        .select({ id: eventTypes.id })
        .from(eventTypes)
        .where(and(eq(eventTypes.orgId, actor.orgId), eq(eventTypes.name, values.name)));
      if (exists) throw taken();
      const [row] = await tx.insert(eventTypes).values({ id: newId('et'), orgId: actor.orgId, ...values }).returning();
      await recordAudit(tx, actor, 'event_type.created', values.name);
      return row!;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw taken();
    throw e;
  }
}

// Changes an event type's description, schema or sample; the sample must still pass the schema.
export async function updateEventType(actor: Actor, name: string, input: EventTypeUpdate): Promise<EventType> {
  assertCan(actor, 'event-types.write');
  return (await getDb()).transaction(async (tx) => {
    const current = await findForUpdate(tx, actor.orgId, name);
    const values = parse(eventTypeUpdateSchema, input);
    await checkSchemaAndSample(values.schema ?? current.schema, values.sample ?? current.sample);
    const changed = (Object.keys(values) as (keyof typeof values)[]).filter(
      (k) => JSON.stringify(values[k]) !== JSON.stringify(current[k]),
    );
    if (!changed.length) return current;
    const [row] = await tx
      .update(eventTypes)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(eventTypes.orgId, actor.orgId), eq(eventTypes.id, current.id)))
      .returning();
    await recordAudit(tx, actor, 'event_type.updated', name, { changed });
    return row!;
  });
}

// Deprecates an event type (no new subscriptions; existing ones still receive it), or brings it back.
export async function setEventTypeDeprecated(actor: Actor, name: string, deprecated: boolean): Promise<EventType> {
  assertCan(actor, 'event-types.write');
  return (await getDb()).transaction(async (tx) => {
    const current = await findForUpdate(tx, actor.orgId, name);
    if (current.deprecated === deprecated) return current;
    const [row] = await tx
      .update(eventTypes)
      .set({ deprecated, updatedAt: new Date() })
      .where(and(eq(eventTypes.orgId, actor.orgId), eq(eventTypes.id, current.id)))
      .returning();
    await recordAudit(tx, actor, deprecated ? 'event_type.deprecated' : 'event_type.undeprecated', name);
    return row!;
  });
}
