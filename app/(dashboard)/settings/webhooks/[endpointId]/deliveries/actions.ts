'use server';

import { z } from 'zod';
import { revalidatePath } from 'next/cache';
import { memberAction } from '@/lib/actions';
import { UserError } from '@/lib/errors';
import { checkEndpoint } from '@/lib/webhooks/check-endpoint';
import { replayDelivery, replayFailed, replaySkipped } from '@/lib/webhooks/deliveries';
import { sendTestEvent } from '@/lib/webhooks/events';

const id = (what: string) => z.string().trim().min(1, `Missing ${what}.`).max(100);

// Sends a test event of a type, with the data typed in the editor, to one endpoint through the real delivery path.
export const sendTestEventAction = memberAction(
  'events.test',
  z.object({ endpointId: id('endpoint'), type: z.string().trim().min(1, 'Choose an event type.'), data: z.string().max(300_000, 'The payload is too large.') }),
  async ({ endpointId, type, data }, member) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch (e) {
      throw new UserError('The payload is not valid JSON.', { data: [`Not valid JSON: ${(e as Error).message}. Fix it, or pick the event type again to restore its sample.`] });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new UserError('The payload must be a JSON object.', { data: ['Event data is always a JSON object, like {"id": "…"}.'] });
    }
    const { event, deliveryId } = await sendTestEvent(member, endpointId, type, parsed);
    return { message: `Test event ${event.id} queued.`, data: { deliveryId, eventId: event.id } };
  },
);

// A checkbox's value: present ("on") when ticked.
const ticked = z.literal('on').optional();

// Replays one delivery: one new attempt now (same event and webhook-id), or a fresh run of the retry schedule when
// "Retry on schedule" is ticked.
export const replayDeliveryAction = memberAction(
  'events.test',
  z.object({ endpointId: id('endpoint'), deliveryId: id('delivery'), onSchedule: ticked }),
  async ({ endpointId, deliveryId, onSchedule }, member) => {
    await replayDelivery(member, deliveryId, { retry: onSchedule ? 'schedule' : 'once' });
    revalidatePath(`/settings/webhooks/${endpointId}/deliveries/${deliveryId}`);
    return {
      message: onSchedule
        ? 'Replay queued: a new attempt starts in a moment, retried on the schedule if it fails.'
        : 'Replay queued: one new attempt starts in a moment.',
    };
  },
);

const bulkReplay = z.object({
  endpointId: id('endpoint'),
  since: z.iso.datetime({ offset: true, message: 'Choose the time to replay from.' }),
  dryRun: z.enum(['0', '1']).default('1'),
  kind: z.enum(['failed', 'skipped']).default('failed'),
  onSchedule: z.enum(['0', '1']).default('0'),
});

// Counts (dryRun=1) or replays an endpoint's failed (or skipped) deliveries created since a time, one attempt each
// unless onSchedule=1.
export const replayFailedAction = memberAction('events.test', bulkReplay, async ({ endpointId, since, dryRun, kind, onSchedule }, member) => {
  const at = new Date(since);
  if (at.getTime() > Date.now()) throw new UserError('Choose a time in the past.', { since: ['Choose a time in the past.'] });
  const replay = kind === 'skipped' ? replaySkipped : replayFailed;
  const { count } = await replay(member, endpointId, at, { dryRun: dryRun === '1', retry: onSchedule === '1' ? 'schedule' : 'once' });
  return { data: { count, dryRun: dryRun === '1', since: at.toISOString() } };
});

// Sends the endpoint the signed, forged and stale probes and returns what it accepted.
export const checkEndpointAction = memberAction(
  'events.test',
  z.object({ endpointId: id('endpoint') }),
  async ({ endpointId }, member) => {
    const r = await checkEndpoint(member, endpointId);
    return {
      data: {
        ...r,
        checkedAt: r.checkedAt.toISOString(),
        certExpiresAt: r.certExpiresAt?.toISOString() ?? null,
      },
    };
  },
);
