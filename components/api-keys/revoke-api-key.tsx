'use client';

import { useEffect, useState } from 'react';
import { Button, DialogButtons } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormMessage } from '@/components/ui/field';
import { useActionForm, type FormAction } from '@/components/ui/use-action-form';

// Revoke, after a confirmation that says what stops working.
export function RevokeApiKey({ id, name, prefix, action }: { id: string; name: string; prefix: string; action: FormAction }) {
  const [open, setOpen] = useState(false);
  const [round, setRound] = useState(0);
  return (
    <>
      <Button type="button" variant="secondary" aria-label={`Revoke ${name}`} onClick={() => { setRound((n) => n + 1); setOpen(true); }}>Revoke</Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Revoke “${name}”?`}
        description={<>Requests with this key (<code className="font-mono">{prefix}…</code>) are refused from now on. This cannot be undone.</>}>
        <RevokeForm key={round} id={id} action={action} onCancel={() => setOpen(false)} />
      </Dialog>
    </>
  );
}

function RevokeForm({ id, action, onCancel }: { id: string; action: FormAction; onCancel: () => void }) {
  const { state, formAction, onSubmit, pending } = useActionForm(action);
  useEffect(() => {
    if (state.ok) onCancel();
  }, [state]);
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-4">
      <FormMessage state={{ ok: false, error: state.error }} />
      <input type="hidden" name="id" value={id} />
      <DialogButtons onCancel={onCancel} variant="danger" disabled={pending} pendingText="Revoking…">Revoke key</DialogButtons>
    </form>
  );
}
