'use client';

import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { inputClass } from '@/components/ui/field';

export type HeaderRow = { key: number; name: string; value: string };

// Custom headers as name / value rows, with Add header and Remove; submitted as headerName[] / headerValue[].
export function HeadersEditor({ initial, errors, disabled }: { initial: Record<string, string>; errors?: string[]; disabled?: boolean }) {
  const next = useRef(0);
  const row = (name = '', value = ''): HeaderRow => ({ key: next.current++, name, value });
  const [rows, setRows] = useState<HeaderRow[]>(() => Object.entries(initial).map(([n, v]) => row(n, v)));
  const update = (key: number, patch: Partial<HeaderRow>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <fieldset className="space-y-2" aria-describedby="headers-help">
      <legend className="text-sm font-medium text-slate-800">Custom headers <span className="font-normal text-slate-500">(optional)</span></legend>
      <p id="headers-help" className="text-xs text-slate-500">Sent with every delivery, for example an X-Api-Key your receiver expects.</p>
      {rows.map((r, i) => (
        <div key={r.key} className="flex gap-2">
          <input name="headerName" aria-label={`Header name ${i + 1}`} placeholder="Name" value={r.name} disabled={disabled}
            onChange={(e) => update(r.key, { name: e.target.value })} className={`${inputClass} font-mono`} autoComplete="off" />
          <input name="headerValue" aria-label={`Header value ${i + 1}`} placeholder="Value" value={r.value} disabled={disabled}
            onChange={(e) => update(r.key, { value: e.target.value })} className={`${inputClass} font-mono`} autoComplete="off" />
          {disabled ? null : (
            <Button type="button" variant="secondary" aria-label={`Remove header ${i + 1}`} onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>
              Remove
            </Button>
          )}
        </div>
      ))}
      {disabled ? (rows.length ? null : <p className="text-sm text-slate-500">None.</p>) : (
        <Button type="button" variant="secondary" onClick={() => setRows((rs) => [...rs, row()])}>Add header</Button>
      )}
      {errors?.map((e) => <p key={e} className="text-sm text-red-700" role="alert">{e}</p>)}
    </fieldset>
  );
}
