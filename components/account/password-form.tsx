'use client';

import { useActionState } from 'react';
import { Field, FormMessage, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/button';
import type { ActionState } from '@/lib/actions';
import type { FormAction } from '@/components/ui/use-action-form';

// Change password: the current one, then the new one twice; the fields are emptied after each try.
export function PasswordForm({ action }: { action: FormAction }) {
  const [state, formAction] = useActionState(action, { ok: false } as ActionState);
  const fe = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="max-w-md space-y-4" aria-label="Change password" noValidate>
      <FormMessage state={state} />
      <Field id="currentPassword" label="Current password" errors={fe.currentPassword}>
        <Input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" aria-invalid={!!fe.currentPassword} />
      </Field>
      <Field id="newPassword" label="New password" errors={fe.newPassword} hint="At least 8 characters.">
        <Input id="newPassword" name="newPassword" type="password" autoComplete="new-password" aria-invalid={!!fe.newPassword} />
      </Field>
      <Field id="confirmPassword" label="Confirm new password" errors={fe.confirmPassword}>
        <Input id="confirmPassword" name="confirmPassword" type="password" autoComplete="new-password" aria-invalid={!!fe.confirmPassword} />
      </Field>
      <SubmitButton pendingText="Changing…">Change password</SubmitButton>
    </form>
  );
}
