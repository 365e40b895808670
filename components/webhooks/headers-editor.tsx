'use client';

import { useRef, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { inputClass } from '@/components/ui/field';
import type { ActionState } from '@/lib/actions';

export type HeaderRow = { key: number; name: string; value: string };

// What a hidden custom header value shows (lib/webhooks MASKED_HEADER_VALUE); sent back as is, it keeps the stored value.
const MASK = '••••••';

// Custom headers as name / value rows, with Add header and Remove; submitted as headerName[] / headerValue[].
// Saved values arrive masked (they are secrets); `reveal` (developers and above, audited) fills them in.
export function HeadersEditor({ initial, errors, disabled, reveal }: {
  initial: Record<string, string>;
  errors?: string[];
  disabled?: boolean;
  reveal?: () => Promise<ActionState>;
}) {
  const next = useRef(0);
  const row = (name = '', value = ''): HeaderRow => ({ key: next.current++, name, value });
  const [rows, setRows] = useState<HeaderRow[]>(() => Object.entries(initial).map(([n, v]) => row(n, v)));
  const [revealError, setRevealError] = useState<string | null>(null);
  const [revealing, startReveal] = useTransition();
  const update = (key: number, patch: Partial<HeaderRow>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const masked = rows.some((r) => r.value === MASK);
  const onReveal = () =>
    startReveal(async () => {
      const r = await reveal!();
      if (!r.ok) return setRevealError(r.error ?? 'The values could not be revealed.');
      setRevealError(null);
      const values = (r.data?.headers ?? {}) as Record<string, string>;
      setRows((rs) => rs.map((x) => (x.value === MASK && Object.hasOwn(values, x.name) ? { ...x, value: values[x.name]! } : x)));
    });
  return (
    <fieldset className="space-y-2" aria-describedby="headers-help">
      <legend className="text-sm font-medium text-slate-800">Custom headers <span className="font-normal text-slate-500">(optional)</span></legend>
      <p id="headers-help" className="text-xs text-slate-500">
        Sent with every delivery, for example an X-Api-Key your receiver expects. Values are kept secret: saved ones show as {MASK}; leave {MASK} to keep a value, or type a new one.
      </p>
      {rows.map((r, i) => (
        <div key={r.key} className="flex gap-2">
          <input name="headerName" aria-label={`Header name ${i + 1}`} placeholder="Name" value={r.name} disabled={disabled}
            onChange={(e) => update(r.key, { name: e.target.value })} className={`${inputClass} font-mono`} autoComplete="off" />
          <input name="headerValue" aria-label={`Header value ${i + 1}`} placeholder="Value" value={r.value} disabled={disabled}
            onChange={(e) => update(r.key, { value: e.target.value })} onFocus={(e) => r.value === MASK && e.currentTarget.select()}
            className={`${inputClass} font-mono`} autoComplete="off" spellCheck={false} />
          {disabled ? null : (
            <Button type="button" variant="secondary" aria-label={`Remove header ${i + 1}`} onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>
              Remove
            </Button>
          )}
        </div>
      ))}
      <div className="flex flex-wrap gap-2">
        {disabled ? (rows.length ? null : <p className="text-sm text-slate-500">None.</p>) : (
          <Button type="button" variant="secondary" onClick={() => setRows((rs) => [...rs, row()])}>Add header</Button>
        )}
        {reveal && masked ? (
          <Button type="button" variant="secondary" disabled={revealing} onClick={onReveal}>{revealing ? 'Revealing…' : 'Reveal values'}</Button>
        ) : null}
      </div>
      {revealError ? <p className="text-sm text-red-700" role="alert">{revealError}</p> : null}
      {errors?.map((e) => <p key={e} className="text-sm text-red-700" role="alert">{e}</p>)}
    </fieldset>
  );
}
