'use client';

import type { FormAction } from '@/components/ui/use-action-form';
import { ToggleForm } from './toggle-form';

// Pause / Resume: holds every delivery of an endpoint (new ones included, none skipped) until Resume sends them.
export function EndpointPauseToggle({ endpointId, paused, action }: { endpointId: string; paused: boolean; action: FormAction }) {
  return (
    <ToggleForm endpointId={endpointId} name="paused" value={paused} action={action}
      label={paused ? 'Resume' : 'Pause'} pendingText={paused ? 'Resuming…' : 'Pausing…'}
      title={paused ? 'Send the waiting deliveries now' : 'Hold deliveries (none are skipped) until you resume'} />
  );
}
