'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { SubmitButton } from '@/components/ui/button';
import { Badge } from '@/components/ui/card';
import { Field, FormMessage } from '@/components/ui/field';
import { Select, Textarea } from '@/components/ui/select';
import { useActionForm, type FormAction } from '@/components/ui/use-action-form';
import { DELIVERIES_CHANGED } from './delivery-browser';
import { DeliveryStatusBadge, deliveryHref } from './delivery-table';
import { causeLabel, failureHint } from '@/lib/delivery/failure-advice';
import { formatLatency, inFlight } from './format';
import type { DeliveryRowJson } from '@/lib/webhooks/delivery-json';

export type TestEventType = { name: string; description: string; sample: string };

type Result = {
  delivery: DeliveryRowJson;
  lastAttempt: {
    number: number; finished: boolean; responseStatus: number | null; latencyMs: number | null;
    failureCause: string | null; failureMessage: string | null; responseBody: string | null;
  } | null;
};

// "Send test event": pick a type, edit its sample, send it through the real delivery path, and watch the result arrive.
export function SendTestForm({ action, endpointId, types }: { action: FormAction; endpointId: string; types: TestEventType[] }) {
  const { state, onSubmit } = useActionForm(action);
  const [type, setType] = useState(types[0]?.name ?? '');
  const [data, setData] = useState(types[0]?.sample ?? '{}');
  const deliveryId = state.ok ? (state.data?.deliveryId as string | undefined) : undefined;
  const result = useDeliveryResult(deliveryId);

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <input type="hidden" name="endpointId" value={endpointId} />
        <Field id="test-type" label="Event type" errors={state.fieldErrors?.type}>
          <Select id="test-type" name="type" value={type} onChange={(e) => {
            setType(e.target.value);
            setData(types.find((t) => t.name === e.target.value)?.sample ?? '{}');
          }}>
            {types.map((t) => <option key={t.name} value={t.name}>{t.name}</option>)}
          </Select>
        </Field>
        <Field id="test-data" label="Payload (data)" errors={state.fieldErrors?.data}
          hint="The type's sample; edit it freely. It is checked against the event type's schema before it is sent.">
          <Textarea id="test-data" name="data" mono rows={Math.min(16, Math.max(6, data.split('\n').length + 1))} spellCheck={false}
            value={data} onChange={(e) => setData(e.target.value)} aria-invalid={state.fieldErrors?.data ? true : undefined}
            aria-describedby={state.fieldErrors?.data ? 'test-data-error' : undefined} />
        </Field>
        {state.fieldErrors?.data || state.fieldErrors?.type ? null : <FormMessage state={{ ok: false, error: state.error }} />}
        <SubmitButton pendingText="Sending…" disabled={types.length === 0}>Send test event</SubmitButton>
      </form>
      {deliveryId ? <TestResult deliveryId={deliveryId} result={result} /> : null}
    </div>
  );
}

// Polls the delivery every second until its first attempt has a result (or it stops being in flight).
function useDeliveryResult(deliveryId: string | undefined): Result | null {
  const [result, setResult] = useState<Result | null>(null);
  useEffect(() => {
    setResult(null);
    if (!deliveryId) return;
    window.dispatchEvent(new Event(DELIVERIES_CHANGED));
    let stop = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      try {
        const res = await fetch(`/api/internal/deliveries/${deliveryId}`, { cache: 'no-store' });
        if (res.ok) {
          const r = (await res.json()) as Result;
          if (stop) return;
          setResult(r);
          if (!inFlight(r.delivery.status) || r.lastAttempt?.finished) {
            window.dispatchEvent(new Event(DELIVERIES_CHANGED));
            return;
          }
        }
      } catch {
        // a dropped poll: try again on the next tick
      }
      if (!stop) timer = setTimeout(tick, 1000);
    };
    timer = setTimeout(tick, 300);
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [deliveryId]);
  return result;
}

function TestResult({ deliveryId, result }: { deliveryId: string; result: Result | null }) {
  const a = result?.lastAttempt;
  const done = Boolean(result && (a?.finished || !inFlight(result.delivery.status)));
  return (
    <section aria-label="Test event result" aria-live="polite" className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-4 text-sm">
      {!result || !done ? (
        <p className="text-slate-600">Sending through the delivery worker… <span className="font-mono text-xs">{deliveryId}</span></p>
      ) : (
        <>
          <div className="flex flex-wrap items-center gap-3">
            <DeliveryStatusBadge status={result.delivery.status} />
            {a?.responseStatus ? <Badge tone={a.responseStatus < 300 ? 'green' : 'red'}>HTTP {a.responseStatus}</Badge> : null}
            {a?.failureCause ? <Badge tone="red">{causeLabel(a.failureCause)}</Badge> : null}
            <span className="tabular-nums text-slate-700">{formatLatency(a?.latencyMs)}</span>
            <span className="font-mono text-xs text-slate-500">{result.delivery.eventId}</span>
            <Link href={deliveryHref(result.delivery)} className="ml-auto text-indigo-700 underline">View delivery</Link>
          </div>
          {a && !a.responseStatus && a.failureMessage ? <p className="text-red-800">{a.failureMessage}</p> : null}
          {a?.failureCause ? <p className="text-slate-700">{failureHint(a.failureCause, a.responseStatus)}</p> : null}
          {result.delivery.status === 'pending' && result.delivery.nextAttemptAt ? (
            <p className="text-slate-600">Next retry {new Date(result.delivery.nextAttemptAt).toISOString().slice(0, 19).replace('T', ' ')} UTC.</p>
          ) : null}
          {a?.responseBody ? (
            <div>
              <p className="text-xs font-medium text-slate-600">Response body</p>
              <pre tabIndex={0} className="focus-visible:outline-2 focus-visible:outline-indigo-500 mt-1 max-h-48 overflow-auto rounded bg-surface p-2 font-mono text-xs ring-1 ring-slate-200">{a.responseBody}</pre>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
