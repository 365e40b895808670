'use server';

import { z } from 'zod';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { memberAction, switchAction, type ActionState } from '@/lib/actions';
import { createEndpoint, deleteEndpoint, revealEndpointHeaders, setEndpointEnabled, setEndpointPaused, updateEndpoint } from '@/lib/webhooks/endpoints';
import { parseEndpointForm, rawEndpointForm, validateEndpointForm } from './form-data';

const LIST = '/settings/webhooks';
const endpointId = z.string().min(1, 'Missing endpoint.');

// Creates an endpoint with its first secret, then opens its page (where the secret can be revealed).
export const createEndpointAction = memberAction(
  'webhooks.write',
  rawEndpointForm,
  async (raw, member) => {
    const { endpoint } = await createEndpoint(member, await validateEndpointForm(raw));
    revalidatePath(LIST);
    redirect(`${LIST}/${endpoint.id}`);
  },
  parseEndpointForm,
);

// Saves an endpoint's settings.
export const updateEndpointAction = memberAction(
  'webhooks.write',
  rawEndpointForm.and(z.object({ endpointId })),
  async (raw, member) => {
    const id = raw.endpointId;
    await updateEndpoint(member, id, await validateEndpointForm(raw));
    revalidateEndpoint(id);
    return { message: 'Changes saved.' };
  },
  parseEndpointForm,
);

// What an endpoint's switches change: the list and every tab of the endpoint.
function revalidateEndpoint(id: string) {
  revalidatePath(LIST);
  revalidatePath(`${LIST}/${id}`, 'layout');
}

// Disables or re-enables an endpoint.
export const setEndpointEnabledAction = switchAction('webhooks.write', 'endpointId', endpointId, 'enabled', async (member, id, on) => {
  await setEndpointEnabled(member, id, on);
  revalidateEndpoint(id);
  return on ? 'Webhook enabled.' : 'Webhook disabled.';
});

// Pauses an endpoint (deliveries wait, none is skipped) or resumes it (they go out now).
export const setEndpointPausedAction = switchAction('webhooks.write', 'endpointId', endpointId, 'paused', async (member, id, on) => {
  await setEndpointPaused(member, id, on);
  revalidateEndpoint(id);
  return on ? 'Webhook paused.' : 'Webhook resumed.';
});

// Deletes an endpoint with its secrets and deliveries, then goes back to the list.
export const deleteEndpointAction = memberAction(
  'endpoints.delete',
  z.object({ endpointId }),
  async ({ endpointId: id }, member) => {
    await deleteEndpoint(member, id);
    revalidatePath(LIST);
    redirect(LIST);
  },
);

const revealHeaders = memberAction('secrets.reveal', z.object({ endpointId }), async ({ endpointId: id }, member) => ({
  data: { headers: await revealEndpointHeaders(member, id) },
}));

// Reveals an endpoint's custom header values for the settings form (developers and above; audited).
export async function revealHeadersAction(id: string): Promise<ActionState> {
  const fd = new FormData();
  fd.set('endpointId', id);
  return revealHeaders({ ok: false }, fd);
}
