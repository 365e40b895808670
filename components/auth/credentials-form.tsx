'use client';

import { useActionState } from 'react';
import Link from 'next/link';
import { Field, Input, FormMessage } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/button';
import type { ActionState } from '@/lib/actions';
import type { FormAction } from '@/components/ui/use-action-form';

// The sign-in and sign-up form: Email, Password and one submit button.
export function CredentialsForm({ mode, action, next }: { mode: 'sign-in' | 'sign-up'; action: FormAction; next?: string }) {
  const [state, formAction] = useActionState(action, { ok: false });
  const fe = state.fieldErrors ?? {};
  const submit = mode === 'sign-up' ? 'Sign up' : 'Sign in';
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormMessage state={state} />
      <Field id="email" label="Email" errors={fe.email}>
        <Input id="email" name="email" type="email" autoComplete="email" required defaultValue={String(state.data?.email ?? '')} aria-invalid={!!fe.email} />
      </Field>
      <Field id="password" label="Password" errors={fe.password} hint={mode === 'sign-up' ? 'At least 8 characters.' : undefined}>
        <Input id="password" name="password" type="password" autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'} required aria-invalid={!!fe.password} />
      </Field>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <SubmitButton className="w-full" worksWithoutJs pendingText={mode === 'sign-up' ? 'Signing up…' : 'Signing in…'}>{submit}</SubmitButton>
      <p className="text-center text-sm text-slate-600">
        {mode === 'sign-up' ? (
          <>Already have an account? <Link className="text-indigo-700 underline" href="/sign-in">Sign in</Link></>
        ) : (
          <>New to Hookrelay? <Link className="text-indigo-700 underline" href="/sign-up">Create an account</Link></>
        )}
      </p>
    </form>
  );
}
