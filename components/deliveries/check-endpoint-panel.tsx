'use client';

import { SubmitButton } from '@/components/ui/button';
import { Badge } from '@/components/ui/card';
import { FormMessage } from '@/components/ui/field';
import { useActionForm, type FormAction } from '@/components/ui/use-action-form';
import { formatLatency } from './format';
import { LocalTime } from '@/components/ui/local-time';
import { TimingWaterfall } from './timing-waterfall';
import type { Timings } from './format';

type Probe = { kind: string; label: string; expect: 'accept' | 'reject'; status: number | null; latencyMs: number; verdict: 'pass' | 'finding' | 'warning' | 'inconclusive'; message: string; timings: Timings | null };
type Report = { probes: Probe[]; findings: string[]; warnings: string[]; tlsVersion: string | null; certExpiresAt: string | null; checkedAt: string; format: string };

const VERDICT = {
  pass: { tone: 'green', text: 'OK' },
  finding: { tone: 'red', text: 'Security finding' },
  warning: { tone: 'amber', text: 'Warning' },
  inconclusive: { tone: 'slate', text: 'Inconclusive' },
} as const;

// "Check endpoint": sends a correctly signed request, a forged one and (standard format) a stale one, and shows
// whether the endpoint accepted what it must reject, where each request's time went, its TLS version and certificate expiry.
export function CheckEndpointPanel({ action, endpointId, format }: { action: FormAction; endpointId: string; format: string }) {
  const { state, onSubmit, pending } = useActionForm(action);
  const report = state.ok ? (state.data as unknown as Report) : null;
  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-3">
        <input type="hidden" name="endpointId" value={endpointId} />
        <SubmitButton variant="secondary" pendingText="Checking…">Check endpoint</SubmitButton>
        <p className="text-xs text-slate-500">
          Sends {format === 'standard' ? 'three' : 'two'} requests that are not stored as deliveries: one correctly signed, one signed with
          another secret{format === 'standard' ? ', one with a 10-minute-old timestamp' : ''}.
        </p>
      </form>
      <FormMessage state={{ ok: false, error: state.error }} />
      {report && !pending ? <CheckReportView report={report} /> : null}
    </div>
  );
}

function CheckReportView({ report }: { report: Report }) {
  return (
    <section aria-label="Check endpoint result" className="space-y-3">
      {report.findings.map((f) => (
        <div key={f} role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          <strong className="font-semibold">Security finding: </strong>{f}
        </div>
      ))}
      {report.findings.length === 0 && report.probes.every((p) => p.verdict === 'pass') ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          Your endpoint accepts correctly signed requests and rejects forged{report.format === 'standard' ? ' and stale' : ''} ones.
        </p>
      ) : null}
      {report.warnings.map((w) => (
        <p key={w} className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">{w}</p>
      ))}
      <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 text-sm">
        {report.probes.map((p) => (
          <li key={p.kind} className="flex flex-wrap items-start gap-3 px-3 py-2" data-probe={p.kind}>
            <Badge tone={VERDICT[p.verdict].tone}>{VERDICT[p.verdict].text}</Badge>
            <div className="min-w-0 flex-1">
              <p className="font-medium text-slate-800">{p.label} <span className="font-normal text-slate-500">— must be {p.expect === 'accept' ? 'accepted' : 'rejected'}</span></p>
              <p className={p.verdict === 'finding' ? 'text-red-800' : 'text-slate-600'}>{p.message}</p>
            </div>
            <span className="tabular-nums text-xs text-slate-500">{p.status ? `HTTP ${p.status} · ` : ''}{formatLatency(p.latencyMs)}</span>
            {p.timings ? (
              <div className="basis-full">
                <TimingWaterfall label={`Timing of the request: ${p.label}`} timings={p.timings} />
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-3">
        <dt className="text-slate-500">TLS version</dt>
        <dd className="sm:col-span-2">{report.tlsVersion ?? 'unknown (no TLS connection was made)'}</dd>
        <dt className="text-slate-500">Certificate expires</dt>
        <dd className="sm:col-span-2">{report.certExpiresAt ? <LocalTime at={report.certExpiresAt} /> : 'unknown'}</dd>
        <dt className="text-slate-500">Checked</dt>
        <dd className="sm:col-span-2"><LocalTime at={report.checkedAt} seconds /></dd>
      </dl>
    </section>
  );
}
