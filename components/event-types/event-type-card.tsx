'use client';

import { useActionState, useCallback, useState } from 'react';
import { Badge, Card } from '@/components/ui/card';
import { Button, SubmitButton } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/field';
import type { ActionState } from '@/lib/actions';
import type { FormAction } from '@/components/ui/use-action-form';
import { EventTypeForm } from './event-type-form';

export type EventTypeItem = { name: string; description: string; deprecated: boolean; managed?: boolean; schema: string; sample: string };

// One catalog entry: description, JSON Schema and sample; admins edit it and deprecate or restore it.
export function EventTypeCard({ type: t, canWrite, actions }: { type: EventTypeItem; canWrite: boolean; actions: { update: FormAction; setDeprecated: FormAction } }) {
  const [editing, setEditing] = useState(false);
  const [depState, depAction] = useActionState(actions.setDeprecated, { ok: false });
  const stopEditing = useCallback(() => setEditing(false), []);
  return (
    <Card
      title={<span className="flex items-center gap-2"><span className="font-mono">{t.name}</span>{t.deprecated ? <Badge tone="amber">deprecated</Badge> : null}{t.managed ? <Badge>managed by the platform</Badge> : null}</span>}
      actions={canWrite && !t.managed ? (
        <>
          {editing ? null : <Button type="button" variant="secondary" className="px-2.5 py-1 text-xs" onClick={() => setEditing(true)} aria-label={`Edit ${t.name}`}>Edit</Button>}
          <form action={depAction}>
            <input type="hidden" name="name" value={t.name} />
            <input type="hidden" name="deprecated" value={t.deprecated ? 'false' : 'true'} />
            <SubmitButton variant="secondary" className="px-2.5 py-1 text-xs" aria-label={`${t.deprecated ? 'Restore' : 'Deprecate'} ${t.name}`}>
              {t.deprecated ? 'Restore' : 'Deprecate'}
            </SubmitButton>
          </form>
        </>
      ) : null}
    >
      <div className="space-y-3">
        <FormMessage state={{ ok: false, error: depState.error }} />
        {editing ? (
          <EventTypeForm mode="edit" action={actions.update} onDone={stopEditing}
            initial={{ name: t.name, description: t.description, schema: t.schema, sample: t.sample }} />
        ) : (
          <>
            <p className="text-sm text-slate-700">{t.description || <span className="text-slate-500">No description.</span>}</p>
            {t.managed ? <p className="text-xs text-slate-500">Defined by the platform: it cannot be edited or deprecated here.</p> : null}
            {t.deprecated ? <p className="text-xs text-amber-800">Deprecated: not offered for new subscriptions; endpoints already subscribed still receive it.</p> : null}
            <div className="grid gap-4 md:grid-cols-2">
              <div>
                <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">JSON Schema</h3>
                <pre tabIndex={0} className="focus-visible:outline-2 focus-visible:outline-indigo-500 max-h-80 overflow-auto rounded-md bg-code p-3 text-xs text-code-fg">{t.schema}</pre>
              </div>
              <div>
                <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Sample</h3>
                <pre tabIndex={0} className="focus-visible:outline-2 focus-visible:outline-indigo-500 max-h-80 overflow-auto rounded-md bg-code p-3 text-xs text-code-fg">{t.sample}</pre>
              </div>
            </div>
          </>
        )}
      </div>
    </Card>
  );
}
