import type { Attempt } from '@/db/schema';
import { Badge } from '@/components/ui/card';
import { When } from './delivery-table';
import { causeLabel, failureHint } from '@/lib/delivery/failure-advice';
import { formatLatency } from './format';
import { LocalTime } from '@/components/ui/local-time';
import { TimingWaterfall } from './timing-waterfall';

// How much of a stored response body the page shows (up to 64 KiB is stored).
const SHOWN_BODY = 16 * 1024;

// The attempt a worker is making now: its row is written with its result, so until then only its number is known.
export function AttemptUnderWay({ number, timeoutMs }: { number: number; timeoutMs: number }) {
  return (
    <article aria-label={`Attempt ${number}`} data-attempt={number} className="rounded-lg border border-slate-200 bg-surface shadow-sm">
      <header className="flex flex-wrap items-center gap-3 border-b border-slate-200 px-5 py-3 text-sm">
        <h3 className="font-semibold text-slate-900">Attempt {number}</h3>
        <Badge tone="blue">in progress</Badge>
      </header>
      <p className="p-5 text-sm text-slate-600">
        Waiting for the endpoint… The signed request and the response show here when the attempt ends (it times out after {formatLatency(timeoutMs)}).
      </p>
    </article>
  );
}

// One attempt: when, the signed request (headers and body), the response (status, headers, body), latency, TLS, the
// timing waterfall and the failure cause with a hint of what to fix; an attempt without a result (its worker stopped
// before writing one) says so.
export function AttemptView({ attempt: a, now, timeoutMs }: { attempt: Attempt; now: number; timeoutMs: number }) {
  const noResult = a.finishedAt === null && a.responseStatus === null && a.failureCause === null;
  const ok = a.responseStatus !== null && a.responseStatus >= 200 && a.responseStatus < 300;
  const hint = a.failureCause || (a.responseStatus && !ok) ? failureHint(a.failureCause, a.responseStatus, timeoutMs) : '';
  return (
    <article aria-label={`Attempt ${a.number}`} data-attempt={a.number} className="rounded-lg border border-slate-200 bg-surface shadow-sm">
      <header className="flex flex-wrap items-center gap-3 border-b border-slate-200 px-5 py-3 text-sm">
        <h3 className="font-semibold text-slate-900">Attempt {a.number}</h3>
        {noResult ? (
          <Badge tone="amber">no result recorded</Badge>
        ) : a.responseStatus !== null ? (
          <Badge tone={ok ? 'green' : 'red'}>HTTP {a.responseStatus}</Badge>
        ) : null}
        {a.failureCause ? <Badge tone="red">{causeLabel(a.failureCause)}</Badge> : null}
        <span className="text-slate-600"><When at={a.startedAt} now={now} /></span>
        <span className="text-xs text-slate-500"><LocalTime at={a.startedAt} seconds /></span>
        <span className="ml-auto flex gap-4 text-xs text-slate-600">
          <span>Latency <strong className="tabular-nums">{formatLatency(a.latencyMs)}</strong></span>
          <span>TLS <strong>{a.tlsVersion ?? '—'}</strong></span>
        </span>
      </header>
      <div className="space-y-4 p-5 text-sm">
        {noResult ? (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900">
            No result recorded: the worker stopped before this attempt finished (its lease ran out), so the delivery was due again.
          </p>
        ) : null}
        {a.failureCause || hint ? (
          <div className="rounded-md bg-red-50 px-3 py-2 text-red-900" data-testid="failure">
            {a.failureMessage ? <p><span className="font-medium">{causeLabel(a.failureCause) || 'Failed'}:</span> {a.failureMessage}</p> : null}
            {hint ? <p className="mt-1">{hint}</p> : null}
          </div>
        ) : null}
        <TimingWaterfall
          label={`Timing of attempt ${a.number}`}
          timings={{ dnsMs: a.dnsMs, connectMs: a.connectMs, tlsMs: a.tlsMs, ttfbMs: a.ttfbMs, totalMs: a.latencyMs, reused: a.connectionReused }}
        />
        <div className="grid gap-4 lg:grid-cols-2">
          <section aria-label={`Request of attempt ${a.number}`} className="min-w-0 space-y-2">
            <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Request</h4>
            <Headers headers={a.requestHeaders} />
            <Body text={a.requestBody} empty="No request recorded." />
          </section>
          <section aria-label={`Response of attempt ${a.number}`} className="min-w-0 space-y-2">
            <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">
              Response {a.responseStatus !== null ? <span className="normal-case text-slate-800">· {a.responseStatus}</span> : null}
            </h4>
            {a.responseStatus === null ? (
              <p className="text-slate-500">No response: the request did not get an HTTP answer.</p>
            ) : (
              <>
                <Headers headers={a.responseHeaders} />
                <Body text={a.responseBody} empty="Empty body." />
              </>
            )}
          </section>
        </div>
      </div>
    </article>
  );
}

function Headers({ headers }: { headers: Record<string, string> | null }) {
  const entries = Object.entries(headers ?? {});
  if (entries.length === 0) return <p className="text-slate-500">No headers recorded.</p>;
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5 rounded-md bg-slate-50 p-3 font-mono text-xs">
      {entries.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-slate-500">{k}</dt>
          <dd className="break-all text-slate-900">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Body({ text, empty }: { text: string | null; empty: string }) {
  if (!text) return <p className="text-slate-500">{empty}</p>;
  const shown = text.length > SHOWN_BODY ? text.slice(0, SHOWN_BODY) : text;
  return (
    <div>
      <pre tabIndex={0} className="focus-visible:outline-2 focus-visible:outline-indigo-500 max-h-72 overflow-auto whitespace-pre-wrap break-all rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-900">{shown}</pre>
      {shown.length < text.length ? <p className="mt-1 text-xs text-slate-500">Showing the first {SHOWN_BODY / 1024} KiB of {Math.ceil(text.length / 1024)} KiB kept.</p> : null}
    </div>
  );
}
