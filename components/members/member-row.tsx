'use client';

import { useActionState, useState } from 'react';
import { SubmitButton } from '@/components/ui/button';
import { Badge } from '@/components/ui/card';
import { FormMessage } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { Td } from '@/components/ui/table';
import { useActionForm, type FormAction } from '@/components/ui/use-action-form';
import type { ActionState } from '@/lib/actions';
import { LocalTime } from '@/components/ui/local-time';

export type MemberItem = { userId: string; email: string; role: string; createdAt: string };

// One member: email and role; for admins a role select with Save, and Remove.
export function MemberRow({ member: m, isYou, canWrite, roles, actions }: {
  member: MemberItem;
  isYou: boolean;
  canWrite: boolean;
  roles: string[];
  actions: { changeRole: FormAction; remove: FormAction };
}) {
  const [role, setRole] = useState(m.role);
  const { state: roleState, formAction: roleAction, onSubmit: onRoleSubmit } = useActionForm(actions.changeRole);
  const [removeState, removeAction] = useActionState(actions.remove, { ok: false });
  const options = roles.includes(m.role) ? roles : [m.role, ...roles];
  return (
    <tr>
      <Td>
        <span className="font-medium">{m.email}</span> {isYou ? <Badge>you</Badge> : null}
        <div className="mt-1 space-y-1">
          <FormMessage state={roleState} />
          <FormMessage state={{ ok: false, error: removeState.error }} />
        </div>
      </Td>
      <Td>
        {canWrite ? (
          <form action={roleAction} onSubmit={onRoleSubmit} className="flex gap-2">
            <input type="hidden" name="userId" value={m.userId} />
            <Select name="role" aria-label={`Role of ${m.email}`} value={role} onChange={(e) => setRole(e.target.value)} className="w-36">
              {options.map((r) => <option key={r} value={r} disabled={!roles.includes(r)}>{r}</option>)}
            </Select>
            <SubmitButton variant="secondary" aria-label={`Save role of ${m.email}`} pendingText="Saving…">Save</SubmitButton>
          </form>
        ) : (
          <Badge tone={m.role === 'owner' ? 'blue' : 'slate'}>{m.role}</Badge>
        )}
      </Td>
      <Td className="whitespace-nowrap text-xs text-slate-600"><LocalTime at={m.createdAt} /></Td>
      {canWrite ? (
        <Td className="text-right">
          <form action={removeAction}>
            <input type="hidden" name="userId" value={m.userId} />
            <SubmitButton variant="secondary" aria-label={`Remove ${m.email}`} pendingText="Removing…">Remove</SubmitButton>
          </form>
        </Td>
      ) : null}
    </tr>
  );
}
