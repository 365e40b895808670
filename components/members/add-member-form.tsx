'use client';

import { useEffect, useState } from 'react';
import { SubmitButton } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { useActionForm, type FormAction } from '@/components/ui/use-action-form';

// Add member: the Email of someone who has signed up, and a Role.
export function AddMemberForm({ action, roles }: { action: FormAction; roles: string[] }) {
  const { state, onSubmit, formAction, pending } = useActionForm(action);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('developer');
  const fe = state.fieldErrors ?? {};
  useEffect(() => {
    if (state.ok) setEmail('');
  }, [state]);
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Add member">
      <FormMessage state={state} />
      <div className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-start">
        <Field id="member-email" label="Email" errors={fe.email} hint="They must have signed up already.">
          <Input id="member-email" name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={!!fe.email} autoComplete="off" />
        </Field>
        <Field id="member-role" label="Role" errors={fe.role}>
          <Select id="member-role" name="role" value={role} onChange={(e) => setRole(e.target.value)}>
            {roles.map((r) => <option key={r} value={r}>{r}</option>)}
          </Select>
        </Field>
        <SubmitButton disabled={pending} pendingText="Adding…" className="sm:mt-6">Add member</SubmitButton>
      </div>
    </form>
  );
}
