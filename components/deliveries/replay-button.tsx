'use client';

import { SubmitButton } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { FormMessage } from '@/components/ui/field';
import { useActionForm, type FormAction } from '@/components/ui/use-action-form';

// "Replay": one new attempt of this delivery now, with the same event and webhook-id; "Retry on schedule" asks for a
// fresh run of the retry schedule instead.
export function ReplayButton({ action, endpointId, deliveryId, disabled }: { action: FormAction; endpointId: string; deliveryId: string; disabled?: boolean }) {
  const { state, onSubmit } = useActionForm(action);
  return (
    <form onSubmit={onSubmit} className="flex flex-col items-end gap-2">
      <input type="hidden" name="endpointId" value={endpointId} />
      <input type="hidden" name="deliveryId" value={deliveryId} />
      <SubmitButton pendingText="Replaying…" disabled={disabled} title={disabled ? 'An attempt is under way.' : undefined}>Replay</SubmitButton>
      <Checkbox name="onSchedule" label="Retry on schedule" description="If the attempt fails, retry it on the retry schedule instead of leaving it failed." disabled={disabled} />
      <FormMessage state={state} />
    </form>
  );
}
