'use client';

import type { FormAction } from '@/components/ui/use-action-form';
import { ToggleForm } from './toggle-form';

// Disable / Enable: stops deliveries to an endpoint (events published meanwhile are recorded as skipped), or lets them
// go out again (also after the engine disabled it).
export function EndpointEnableToggle({ endpointId, enabled, action }: { endpointId: string; enabled: boolean; action: FormAction }) {
  return (
    <ToggleForm endpointId={endpointId} name="enabled" value={enabled} action={action}
      label={enabled ? 'Disable' : 'Enable'} pendingText={enabled ? 'Disabling…' : 'Enabling…'} />
  );
}
