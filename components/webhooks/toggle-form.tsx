'use client';

import { useActionState } from 'react';
import { SubmitButton } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/field';
import type { ActionState } from '@/lib/actions';
import type { FormAction } from '@/components/ui/use-action-form';

// One button that flips an endpoint's on/off setting: posts `endpointId` and `name` = the new value ('true'/'false').
export function ToggleForm({ endpointId, name, value, action, label, pendingText, title }: {
  endpointId: string;
  name: string;
  /** The setting's current value; the button asks for the other. */
  value: boolean;
  action: FormAction;
  label: string;
  pendingText: string;
  title?: string;
}) {
  const [state, formAction] = useActionState(action, { ok: false });
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="endpointId" value={endpointId} />
      <input type="hidden" name={name} value={value ? 'false' : 'true'} />
      <FormMessage state={{ ok: false, error: state.error }} />
      <SubmitButton variant="secondary" pendingText={pendingText} title={title}>{label}</SubmitButton>
    </form>
  );
}
