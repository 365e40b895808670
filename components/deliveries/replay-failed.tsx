'use client';

import { startTransition, useActionState, useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Field, FormMessage, Input } from '@/components/ui/field';
import type { FormAction } from '@/components/ui/use-action-form';
import type { ActionState } from '@/lib/actions';
import { DELIVERIES_CHANGED } from './delivery-browser';
import { fromLocalInput, toLocalInput } from './format';
import { LocalTime } from '@/components/ui/local-time';

const DAY = 86_400_000;

// "Replay failed" (or, with kind="skipped", "Replay skipped": the events published while the endpoint was disabled):
// choose a time, see how many deliveries since then would be sent, confirm, then watch how many are still pending.
// One attempt each, unless "Retry on schedule" is ticked.
export function ReplayFailed({ action, endpointId, kind = 'failed' }: { action: FormAction; endpointId: string; kind?: 'failed' | 'skipped' }) {
  const [since, setSince] = useState('');
  const [onSchedule, setOnSchedule] = useState(false);
  const label = kind === 'failed' ? 'Failed since' : 'Skipped since';
  const inputId = `replay-${kind}-since`;
  const [preview, previewAction, previewing] = useActionState(action, { ok: false } as ActionState);
  const [replay, replayAction, replaying] = useActionState(action, { ok: false } as ActionState);
  const [stage, setStage] = useState<'choose' | 'confirm' | 'running'>('choose');
  const pending = usePendingCount(endpointId, stage === 'running' && replay.ok);

  useEffect(() => setSince(toLocalInput(new Date(Date.now() - DAY))), []);
  useEffect(() => {
    if (preview.ok) setStage('confirm');
  }, [preview]);
  useEffect(() => {
    if (replay.ok) window.dispatchEvent(new Event(DELIVERIES_CHANGED));
  }, [replay]);

  const submit = (action: (fd: FormData) => void, dryRun: boolean) => {
    const fd = new FormData();
    fd.set('endpointId', endpointId);
    fd.set('since', fromLocalInput(since));
    fd.set('dryRun', dryRun ? '1' : '0');
    fd.set('kind', kind);
    fd.set('onSchedule', onSchedule ? '1' : '0');
    startTransition(() => action(fd));
  };
  const count = Number(preview.data?.count ?? 0);
  const chosen = String(preview.data?.since ?? '');
  const replayed = Number(replay.data?.count ?? 0);

  if (stage === 'running') {
    return (
      <div className="space-y-3 text-sm" aria-live="polite">
        {replay.error && !replaying ? <FormMessage state={replay} /> : null}
        {replaying ? <p>Replaying…</p> : null}
        {replay.ok && !replaying ? (
          <p role="status">
            {replayed === 0
              ? 'There was nothing left to replay.'
              : pending === null
                ? `${replayed} deliveries queued again.`
                : pending > 0
                  ? `${replayed} deliveries queued again: ${pending} still pending on this endpoint.`
                  : `All ${replayed} replayed deliveries have been attempted; see their results in Deliveries.`}
          </p>
        ) : null}
        <Button type="button" variant="secondary" onClick={() => setStage('choose')}>Done</Button>
      </div>
    );
  }

  return (
    <div className="space-y-3">
      <form className="flex flex-wrap items-end gap-3" onSubmit={(e) => { e.preventDefault(); submit(previewAction, true); }}>
        <Field id={inputId} label={label} errors={preview.fieldErrors?.since}>
          <Input id={inputId} type="datetime-local" value={since} required
            onChange={(e) => { setSince(e.target.value); setStage('choose'); }} />
        </Field>
        <Button type="submit" variant="secondary" disabled={previewing || !since}>{previewing ? 'Counting…' : 'Preview'}</Button>
      </form>
      <Checkbox name="onSchedule" id={`${inputId}-schedule`} checked={onSchedule} onChange={(e) => setOnSchedule(e.target.checked)}
        label="Retry on schedule"
        description="Each gets a fresh run of the retry schedule. Unticked, each gets one attempt and stays failed if it fails." />
      <FormMessage state={{ ok: false, error: preview.error }} />
      {stage === 'confirm' ? (
        count === 0 ? (
          <p role="status" className="text-sm text-slate-700">No {kind} deliveries since <LocalTime at={chosen} />: nothing to replay.</p>
        ) : (
          <div role="status" className="flex flex-wrap items-center gap-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
            <span>
              {count} {kind} {count === 1 ? 'delivery' : 'deliveries'} since <LocalTime at={chosen} /> will be sent{kind === 'failed' ? ' again' : ''}
              {onSchedule ? ', each retried on the schedule if it fails' : ', one attempt each'}.
            </span>
            <Button type="button" onClick={() => { setStage('running'); submit(replayAction, false); }}>
              Replay {count} {count === 1 ? 'delivery' : 'deliveries'}
            </Button>
            <Button type="button" variant="ghost" onClick={() => setStage('choose')}>Cancel</Button>
          </div>
        )
      ) : null}
    </div>
  );
}

// The endpoint's pending count every 2 s while `active`, until it reaches 0.
function usePendingCount(endpointId: string, active: boolean): number | null {
  const [n, setN] = useState<number | null>(null);
  useEffect(() => {
    if (!active) return setN(null);
    let stop = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      try {
        const res = await fetch(`/api/internal/endpoints/${endpointId}/in-flight`, { cache: 'no-store' });
        if (res.ok) {
          const { pending } = (await res.json()) as { pending: number };
          if (stop) return;
          setN(pending);
          if (pending === 0) return void window.dispatchEvent(new Event(DELIVERIES_CHANGED));
        }
      } catch {
        // try again on the next tick
      }
      if (!stop) timer = setTimeout(tick, 2000);
    };
    void tick();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [endpointId, active]);
  return n;
}
