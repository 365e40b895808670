'use client';

import { useActionState, useState } from 'react';
import { Button, DialogButtons } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormMessage } from '@/components/ui/field';
import type { ActionState } from '@/lib/actions';
import type { FormAction } from '@/components/ui/use-action-form';

// Delete, with a confirmation dialog that names the URL.
export function DeleteEndpoint({ endpointId, url, action }: { endpointId: string; url: string; action: FormAction }) {
  const [open, setOpen] = useState(false);
  const [state, formAction] = useActionState(action, { ok: false });
  return (
    <>
      <Button type="button" variant="danger" onClick={() => setOpen(true)}>Delete</Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Delete webhook?"
        description={<>This deletes <code className="break-all font-mono text-slate-900">{url}</code> with its signing secrets and delivery history. It cannot be undone.</>}>
        <form action={formAction} className="space-y-4">
          <FormMessage state={state} />
          <input type="hidden" name="endpointId" value={endpointId} />
          <DialogButtons onCancel={() => setOpen(false)} variant="danger" pendingText="Deleting…">Delete webhook</DialogButtons>
        </form>
      </Dialog>
    </>
  );
}
