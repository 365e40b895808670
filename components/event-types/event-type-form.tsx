'use client';

import { useEffect, useState } from 'react';
import { Button, SubmitButton } from '@/components/ui/button';
import { Field, FormMessage, Input } from '@/components/ui/field';
import { Textarea } from '@/components/ui/select';
import { useActionForm, type FormAction } from '@/components/ui/use-action-form';

export type EventTypeValues = { name: string; description: string; schema: string; sample: string };

const STARTER: EventTypeValues = {
  name: '',
  description: '',
  schema: '{\n  "type": "object",\n  "properties": {\n    "id": { "type": "string" }\n  },\n  "required": ["id"]\n}',
  sample: '{\n  "id": "obj_123"\n}',
};

// Add or edit an event type: Name, Description, JSON Schema and Sample; errors beside each field, what was typed kept.
export function EventTypeForm({ mode, action, initial = STARTER, onDone }: { mode: 'create' | 'edit'; action: FormAction; initial?: EventTypeValues; onDone?: () => void }) {
  const { state, onSubmit, formAction, pending } = useActionForm(action);
  const [v, setV] = useState(initial);
  const fe = state.fieldErrors ?? {};
  const set = (k: keyof EventTypeValues) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setV((o) => ({ ...o, [k]: e.target.value }));
  const id = (k: string) => (mode === 'create' ? `new-type-${k}` : `edit-${initial.name}-${k}`);
  useEffect(() => {
    if (!state.ok) return;
    if (mode === 'create') setV(STARTER);
    else onDone?.();
  }, [state, mode, onDone]);
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-4" noValidate aria-label={mode === 'create' ? 'Add event type' : `Edit ${initial.name}`}>
      <FormMessage state={state} />
      {mode === 'create' ? (
        <Field id={id('name')} label="Name" errors={fe.name} hint="Lower-case words joined by dots, like order.paid.">
          <Input id={id('name')} name="name" value={v.name} onChange={set('name')} aria-invalid={!!fe.name} className="font-mono" autoComplete="off" />
        </Field>
      ) : (
        <input type="hidden" name="name" value={initial.name} />
      )}
      <Field id={id('description')} label="Description" errors={fe.description}>
        <Textarea id={id('description')} name="description" rows={2} value={v.description} onChange={set('description')} aria-invalid={!!fe.description} />
      </Field>
      <div className="grid gap-4 md:grid-cols-2">
        <Field id={id('schema')} label="JSON Schema" errors={fe.schema} hint='Describes the data object: "type": "object" at the top.'>
          <Textarea id={id('schema')} name="schema" rows={10} mono spellCheck={false} value={v.schema} onChange={set('schema')} aria-invalid={!!fe.schema} />
        </Field>
        <Field id={id('sample')} label="Sample" errors={fe.sample} hint="A data object that passes the schema; test events send it.">
          <Textarea id={id('sample')} name="sample" rows={10} mono spellCheck={false} value={v.sample} onChange={set('sample')} aria-invalid={!!fe.sample} />
        </Field>
      </div>
      <div className="flex gap-2">
        <SubmitButton disabled={pending} pendingText="Saving…">{mode === 'create' ? 'Add event type' : 'Save changes'}</SubmitButton>
        {mode === 'edit' && onDone ? <Button type="button" variant="secondary" onClick={onDone}>Cancel</Button> : null}
      </div>
    </form>
  );
}
