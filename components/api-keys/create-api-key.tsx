'use client';

import { useState } from 'react';
import { Button, DialogButtons } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, FormMessage, Input } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { useActionForm, type FormAction } from '@/components/ui/use-action-form';
import { CopyButton } from '@/components/ui/copy-button';

const ROLE_HELP: Record<string, string> = {
  developer: 'Publishes events, sends tests and replays; creates and edits endpoints; reveals secrets.',
  admin: 'Everything a developer key does, and also deletes endpoints and rotates secrets.',
};

// "Create API key": asks for a name and a role, then shows the new key once, with Copy.
export function CreateApiKey({ action, roles }: { action: FormAction; roles: string[] }) {
  const [open, setOpen] = useState(false);
  const [round, setRound] = useState(0);
  const close = () => {
    setOpen(false);
    setRound((n) => n + 1); // forget the key shown: it is never shown again
  };
  return (
    <>
      <Button type="button" onClick={() => setOpen(true)}>Create API key</Button>
      <Dialog open={open} onClose={close} title="Create API key">
        <CreateForm key={round} action={action} roles={roles} onClose={close} />
      </Dialog>
    </>
  );
}

function CreateForm({ action, roles, onClose }: { action: FormAction; roles: string[]; onClose: () => void }) {
  const { state, formAction, onSubmit, pending } = useActionForm(action);
  const [role, setRole] = useState(roles[0] ?? 'developer');
  const key = state.ok && typeof state.data?.key === 'string' ? state.data.key : null;
  if (key) {
    return (
      <div className="space-y-4">
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Copy this key now and store it somewhere safe. It is shown only once; if you lose it, revoke it and create another.
        </p>
        <div className="flex items-center gap-2">
          <code aria-label="New API key" className="min-w-0 flex-1 break-all rounded-md bg-slate-100 px-3 py-2 font-mono text-sm">{key}</code>
          <CopyButton value={key} />
        </div>
        <div className="flex justify-end">
          <Button type="button" onClick={onClose}>Done</Button>
        </div>
      </div>
    );
  }
  const fe = state.fieldErrors ?? {};
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormMessage state={{ ok: false, error: state.error }} />
      <Field id="api-key-name" label="Name" errors={fe.name} hint="What uses it, e.g. Billing service.">
        <Input id="api-key-name" name="name" required maxLength={100} autoFocus aria-invalid={!!fe.name} />
      </Field>
      <Field id="api-key-role" label="Role" errors={fe.role} hint={ROLE_HELP[role]}>
        <Select id="api-key-role" name="role" value={role} onChange={(e) => setRole(e.target.value)} aria-invalid={!!fe.role}>
          {roles.map((r) => <option key={r} value={r}>{r}</option>)}
        </Select>
      </Field>
      <DialogButtons onCancel={onClose} disabled={pending} pendingText="Creating…">Create key</DialogButtons>
    </form>
  );
}
