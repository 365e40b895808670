'use client';

import { useActionState, useState } from 'react';
import { Badge } from '@/components/ui/card';
import { SubmitButton } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/field';
import { useActionForm, type FormAction } from '@/components/ui/use-action-form';
import type { ActionState } from '@/lib/actions';
import { LocalTime } from '@/components/ui/local-time';
import { CopyButton } from '@/components/ui/copy-button';
import { RotateSecretDialog, type Rotated } from './rotate-secret-dialog';

// A live secret as the page passes it: masked, with its expiry already put in words by the server.
export type SecretRow = { id: string; masked: string; createdAt: string; expiresAt: string | null; expiresIn: string | null; expiresExact: string | null };
export type Cutover = { header: string; signsWith: 'previous' | 'current'; until: string | null; untilIn: string | null; untilExact: string | null };

type Revealed = { secret: string; createdAt: string; expiresAt: string | null };

// The Signing secret section: masked secrets, Reveal (developer+), Copy, Rotate secret and End grace period now (admin+).
export function SecretPanel({ endpointId, secrets, cutover, canReveal, canRotate, actions }: {
  endpointId: string;
  secrets: SecretRow[];
  cutover: Cutover | null;
  canReveal: boolean;
  canRotate: boolean;
  actions: { reveal: FormAction; rotate: FormAction; endGrace: FormAction };
}) {
  const reveal = useActionForm(actions.reveal);
  const [shown, setShown] = useState(false);
  const [rotated, setRotated] = useState<Rotated | null>(null);
  const [endState, endAction] = useActionState(actions.endGrace, { ok: false });
  const revealed = shown && reveal.state.ok ? ((reveal.state.data?.secrets as Revealed[] | undefined) ?? []) : [];
  const byCreated = new Map(revealed.map((r) => [r.createdAt, r.secret]));
  const inGrace = secrets.some((s) => s.expiresAt);
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        Your receiver verifies each delivery with this secret. Keep it out of source control.
      </p>
      <ul className="divide-y divide-slate-200 rounded-md border border-slate-200" aria-label="Signing secrets">
        {secrets.map((s) => {
          const value = byCreated.get(s.createdAt);
          return (
            <li key={s.id} className="flex flex-wrap items-center gap-3 px-4 py-3" data-testid="secret-row">
              {s.expiresAt ? (
                <Badge tone="amber">Previous</Badge>
              ) : (
                <Badge tone="green">Current</Badge>
              )}
              {value ? (
                <code data-testid="secret-value" className="break-all rounded bg-slate-100 px-2 py-1 font-mono text-xs">{value}</code>
              ) : (
                <code className="font-mono text-xs text-slate-600" aria-label="Masked secret">{s.masked}</code>
              )}
              {value ? <CopyButton value={value} /> : null}
              {s.expiresAt ? (
                <span className="text-xs text-slate-600">
                  expires in <time dateTime={s.expiresAt} title={s.expiresExact ?? undefined}>{s.expiresIn}</time>
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
      {cutover ? (
        <p className="text-sm text-slate-700">
          {cutover.signsWith === 'previous' && cutover.until ? (
            <>The <code className="font-mono">{cutover.header}</code> header signs with the <strong>previous</strong> secret until{' '}
              <LocalTime at={cutover.until} /> (in {cutover.untilIn}), then with the current one.</>
          ) : (
            <>The <code className="font-mono">{cutover.header}</code> header signs with the <strong>current</strong> secret.</>
          )}
        </p>
      ) : null}
      {inGrace ? (
        <p className="text-xs text-slate-500">During the grace period the webhook-signature header carries one signature for each secret.</p>
      ) : null}
      {rotated ? (
        <div role="status" className="space-y-2 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          <p>New secret issued. {rotated.previousGraceEndsAt ? 'The previous secret keeps working during the grace period.' : 'The previous secret no longer works.'}</p>
          <div className="flex flex-wrap items-center gap-2">
            <code data-testid="new-secret-value" className="break-all rounded bg-surface px-2 py-1 font-mono text-xs">{rotated.secret}</code>
            <CopyButton value={rotated.secret} />
          </div>
        </div>
      ) : null}
      <FormMessage state={{ ok: false, error: reveal.state.error }} />
      <FormMessage state={endState} />
      <div className="flex flex-wrap gap-2">
        {canReveal ? (
          shown && reveal.state.ok ? (
            <button type="button" className="rounded-md px-3.5 py-2 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-50" onClick={() => setShown(false)}>Hide</button>
          ) : (
            <form action={reveal.formAction} onSubmit={(e) => { setShown(true); reveal.onSubmit(e); }}>
              <input type="hidden" name="endpointId" value={endpointId} />
              <SubmitButton variant="secondary" disabled={reveal.pending} pendingText="Revealing…">Reveal</SubmitButton>
            </form>
          )
        ) : null}
        {canRotate ? (
          <RotateSecretDialog endpointId={endpointId} action={actions.rotate} onRotated={(r) => { setRotated(r); setShown(false); }} />
        ) : null}
        {canRotate && inGrace ? (
          <form action={endAction}>
            <input type="hidden" name="endpointId" value={endpointId} />
            <SubmitButton variant="secondary" pendingText="Ending…">End grace period now</SubmitButton>
          </form>
        ) : null}
      </div>
      {!canReveal ? <p className="text-xs text-slate-500">Revealing the secret needs the developer role or above.</p> : null}
    </div>
  );
}
