'use client';

import { useActionState } from 'react';
import { SubmitButton } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/field';
import type { ActionState } from '@/lib/actions';

// Disable / Enable: stops deliveries to an endpoint (events published meanwhile are recorded as skipped), or lets them
// go out again (also after the engine disabled it).
export function EndpointEnableToggle({ endpointId, enabled, action }: { endpointId: string; enabled: boolean; action: (s: ActionState, f: FormData) => Promise<ActionState> }) {
  const [state, formAction] = useActionState(action, { ok: false });
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="endpointId" value={endpointId} />
      <input type="hidden" name="enabled" value={enabled ? 'false' : 'true'} />
      <FormMessage state={{ ok: false, error: state.error }} />
      <SubmitButton variant="secondary" pendingText={enabled ? 'Disabling…' : 'Enabling…'}>{enabled ? 'Disable' : 'Enable'}</SubmitButton>
    </form>
  );
}
