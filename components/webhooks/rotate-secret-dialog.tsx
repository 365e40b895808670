'use client';

import { useEffect, useState } from 'react';
import { Button, DialogButtons } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormMessage } from '@/components/ui/field';
import { Radio } from '@/components/ui/checkbox';
import { useActionForm, type FormAction } from '@/components/ui/use-action-form';

const GRACE = [
  { value: '0', label: 'End now', help: 'The current secret stops working at once.' },
  { value: '3600', label: '1 hour', help: 'Both secrets sign for an hour.' },
  { value: '86400', label: '24 hours', help: 'Both secrets sign for a day (recommended).' },
  { value: '604800', label: '7 days', help: 'Both secrets sign for a week.' },
];

export type Rotated = { secret: string; previousGraceEndsAt: string | null };

// Rotate secret (admin+): choose the grace period of the current secret, then confirm.
export function RotateSecretDialog({ endpointId, action, onRotated }: { endpointId: string; action: FormAction; onRotated: (r: Rotated) => void }) {
  const [open, setOpen] = useState(false);
  const [round, setRound] = useState(0);
  return (
    <>
      <Button type="button" variant="secondary" onClick={() => { setRound((n) => n + 1); setOpen(true); }}>Rotate secret</Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Rotate secret"
        description="A new secret is issued now. Update your receiver with it before the previous one stops working.">
        <RotateForm key={round} endpointId={endpointId} action={action} onCancel={() => setOpen(false)}
          onDone={(r) => { setOpen(false); onRotated(r); }} />
      </Dialog>
    </>
  );
}

function RotateForm({ endpointId, action, onCancel, onDone }: { endpointId: string; action: FormAction; onCancel: () => void; onDone: (r: Rotated) => void }) {
  const { state, onSubmit, formAction, pending } = useActionForm(action);
  const [grace, setGrace] = useState('86400');
  useEffect(() => {
    if (state.ok && typeof state.data?.secret === 'string') {
      onDone({ secret: state.data.secret, previousGraceEndsAt: (state.data.previousGraceEndsAt as string | null) ?? null });
    }
  }, [state]);
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-4">
      <FormMessage state={{ ok: false, error: state.error }} />
      <input type="hidden" name="endpointId" value={endpointId} />
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Grace period</legend>
        <p className="text-xs text-slate-500">How long the current secret keeps signing alongside the new one.</p>
        {GRACE.map((g) => (
          <Radio key={g.value} id={`grace-${g.value}`} name="graceSeconds" value={g.value} label={g.label} description={g.help}
            checked={grace === g.value} onChange={() => setGrace(g.value)} />
        ))}
        {state.fieldErrors?.graceSeconds?.map((e) => <p key={e} className="text-sm text-red-700" role="alert">{e}</p>)}
      </fieldset>
      <DialogButtons onCancel={onCancel} disabled={pending} pendingText="Rotating…">Rotate secret</DialogButtons>
    </form>
  );
}
