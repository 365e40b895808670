'use client';

import type { ActionState } from '@/lib/actions';
import { ToggleForm } from './toggle-form';

// Disable / Enable: stops deliveries to an endpoint (events published meanwhile are recorded as skipped), or lets them
// go out again (also after the engine disabled it).
export function EndpointEnableToggle({ endpointId, enabled, action }: { endpointId: string; enabled: boolean; action: (s: ActionState, f: FormData) => Promise<ActionState> }) {
  return (
    <ToggleForm endpointId={endpointId} name="enabled" value={enabled} action={action}
      label={enabled ? 'Disable' : 'Enable'} pendingText={enabled ? 'Disabling…' : 'Enabling…'} />
  );
}
