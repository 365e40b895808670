'use client';

import { startTransition, useActionState } from 'react';
import type { ActionState } from '@/lib/actions';

// A server action as a form submits it; pages pass actions to the components that use them.
export type FormAction = (state: ActionState, formData: FormData) => Promise<ActionState>;

// useActionState for forms that keep what was typed: submits without React's automatic form reset.
export function useActionForm(action: FormAction, initial: ActionState = { ok: false }) {
  const [state, formAction, pending] = useActionState(action, initial);
  const onSubmit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLElement | null;
    const fd = new FormData(e.currentTarget, submitter);
    startTransition(() => formAction(fd));
  };
  return { state, formAction, onSubmit, pending };
}
