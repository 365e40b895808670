'use client';

import { useActionState } from 'react';
import { SubmitButton } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/field';
import type { ActionState } from '@/lib/actions';

// Pause / Resume: holds every delivery of an endpoint (new ones included, none skipped) until Resume sends them.
export function EndpointPauseToggle({ endpointId, paused, action }: { endpointId: string; paused: boolean; action: (s: ActionState, f: FormData) => Promise<ActionState> }) {
  const [state, formAction] = useActionState(action, { ok: false });
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="endpointId" value={endpointId} />
      <input type="hidden" name="paused" value={paused ? 'false' : 'true'} />
      <FormMessage state={{ ok: false, error: state.error }} />
      <SubmitButton variant="secondary" pendingText={paused ? 'Resuming…' : 'Pausing…'}
        title={paused ? 'Send the waiting deliveries now' : 'Hold deliveries (none are skipped) until you resume'}>
        {paused ? 'Resume' : 'Pause'}
      </SubmitButton>
    </form>
  );
}
