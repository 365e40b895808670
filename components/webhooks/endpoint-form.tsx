'use client';

import { useState } from 'react';
import { Field, FormMessage, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/button';
import { Radio } from '@/components/ui/checkbox';
import { useActionForm, type FormAction } from '@/components/ui/use-action-form';
import type { ActionState } from '@/lib/actions';
import { EventsPicker, type CatalogEntry } from './events-picker';
import { HeadersEditor } from './headers-editor';
import type { WireFormat } from '@/lib/signing';
import { FORMAT_INFO } from './format';

export type EndpointFormValues = {
  url: string;
  description: string;
  eventTypes: string[];
  format: WireFormat;
  headers: Record<string, string>;
  rateLimitPerSecond: number | null;
};

const EMPTY: EndpointFormValues = { url: '', description: '', eventTypes: [], format: 'standard', headers: {}, rateLimitPerSecond: null };

// The endpoint settings form, for Create Webhook and the endpoint page; keeps what was typed when the server refuses it.
export function EndpointForm({ action, catalog, initial = EMPTY, endpointId, submitLabel, readOnly = false, revealHeaders }: {
  action: FormAction;
  /** Reveals the saved custom header values (developers and above; audited). */
  revealHeaders?: () => Promise<ActionState>;
  catalog: CatalogEntry[];
  initial?: EndpointFormValues;
  endpointId?: string;
  submitLabel: string;
  readOnly?: boolean;
}) {
  const { state, onSubmit, formAction, pending } = useActionForm(action);
  const fe = state.fieldErrors ?? {};
  const [url, setUrl] = useState(initial.url);
  const [description, setDescription] = useState(initial.description);
  const [format, setFormat] = useState<WireFormat>(initial.format);
  const [rate, setRate] = useState(initial.rateLimitPerSecond?.toString() ?? '');
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-6" noValidate aria-label={submitLabel === 'Save changes' ? 'Endpoint settings' : 'Create Webhook'}>
      <FormMessage state={state} />
      {endpointId ? <input type="hidden" name="endpointId" value={endpointId} /> : null}
      <fieldset disabled={readOnly} className="space-y-6">
        <Field id="url" label="Endpoint URL" errors={fe.url} hint="The HTTPS address that receives the POST requests.">
          <Input id="url" name="url" type="url" inputMode="url" placeholder="https://hooks.example.com/webhooks" value={url}
            onChange={(e) => setUrl(e.target.value)} aria-invalid={!!fe.url} autoComplete="off" className="font-mono" />
        </Field>
        <Field id="description" label="Description" errors={fe.description} hint="Optional: what this endpoint is for.">
          <Input id="description" name="description" value={description} onChange={(e) => setDescription(e.target.value)} aria-invalid={!!fe.description} />
        </Field>
        <EventsPicker catalog={catalog} initial={initial.eventTypes} errors={fe.eventTypes} disabled={readOnly} />
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">Signature format</legend>
          <p className="text-xs text-slate-500">Every format sends the Standard Webhooks headers; the vendor formats add their own signature header and body shape.</p>
          {(Object.keys(FORMAT_INFO) as WireFormat[]).map((f) => (
            <Radio key={f} id={`format-${f}`} name="format" value={f} checked={format === f} onChange={() => setFormat(f)}
              label={<span className="font-mono">{FORMAT_INFO[f].label}</span>} description={FORMAT_INFO[f].help} />
          ))}
          {fe.format?.map((e) => <p key={e} className="text-sm text-red-700" role="alert">{e}</p>)}
        </fieldset>
        <HeadersEditor initial={initial.headers} errors={fe.headers} disabled={readOnly} reveal={readOnly ? undefined : revealHeaders} />
        <Field id="rateLimitPerSecond" label="Rate limit" errors={fe.rateLimitPerSecond} hint="Optional: most messages per second sent to this endpoint; empty for no limit.">
          <Input id="rateLimitPerSecond" name="rateLimitPerSecond" type="number" min={1} step={1} inputMode="numeric" value={rate}
            onChange={(e) => setRate(e.target.value)} aria-invalid={!!fe.rateLimitPerSecond} className="max-w-40" />
        </Field>
      </fieldset>
      {readOnly ? null : <SubmitButton disabled={pending} pendingText="Saving…">{submitLabel}</SubmitButton>}
    </form>
  );
}
