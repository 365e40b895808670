'use server';

import { z } from 'zod';
import { revalidatePath } from 'next/cache';
import { memberAction, switchAction } from '@/lib/actions';
import { createEventType, setEventTypeDeprecated, updateEventType } from '@/lib/webhooks/event-types';

const PAGE = '/settings/event-types';

// A textarea holding JSON: parsed here, so "not JSON" is said beside the field; the lib checks the rest.
const jsonText = (what: string) =>
  z.string().transform((text, ctx) => {
    if (!text.trim()) {
      ctx.addIssue({ code: 'custom', message: `Enter the ${what} as JSON.` });
      return z.NEVER;
    }
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `The ${what} is not valid JSON: ${(e as Error).message}.` });
      return z.NEVER;
    }
  });

const name = z.string().trim().min(1, 'Enter a name, like compound.created.');
const description = z.string().default('');
const eventTypeFields = z.object({ name, description, schema: jsonText('JSON Schema'), sample: jsonText('sample') });

// Adds an event type to the catalog (admin+).
export const createEventTypeAction = memberAction(
  'event-types.write',
  eventTypeFields,
  async (input, member) => {
    const created = await createEventType(member, input);
    revalidatePath(PAGE);
    revalidatePath('/settings/webhooks', 'layout');
    return { message: `Event type ${created.name} added.` };
  },
);

// Changes an event type's description, schema and sample (admin+).
export const updateEventTypeAction = memberAction(
  'event-types.write',
  eventTypeFields,
  async ({ name: typeName, ...patch }, member) => {
    await updateEventType(member, typeName, patch);
    revalidatePath(PAGE);
    return { message: `Event type ${typeName} saved.` };
  },
);

// Deprecates an event type (no new subscriptions) or restores it (admin+).
export const setEventTypeDeprecatedAction = switchAction('event-types.write', 'name', name, 'deprecated', async (member, typeName, on) => {
  await setEventTypeDeprecated(member, typeName, on);
  revalidatePath(PAGE);
  revalidatePath('/settings/webhooks', 'layout');
  return on ? `${typeName} is deprecated.` : `${typeName} is offered again.`;
});
