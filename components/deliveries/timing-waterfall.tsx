import { formatPhaseMs, timingPhases, type Timings } from './format';

const COLORS = {
  dns: 'bg-teal-500',
  connect: 'bg-amber-500',
  tls: 'bg-violet-500',
  wait: 'bg-sky-500',
  download: 'bg-indigo-700',
} as const;

// Where an attempt's time went, as horizontal bars on one time axis (DNS, connect, TLS, waiting, reading), each
// labelled with its milliseconds; a reused keep-alive connection says so. Nothing when no timing was recorded.
export function TimingWaterfall({ timings, label }: { timings: Timings; label: string }) {
  const phases = timingPhases(timings);
  if (phases.length === 0) return null;
  const end = Math.max(timings.totalMs ?? 0, ...phases.map((p) => p.startMs + p.ms), 0.001);
  const pct = (ms: number) => `${Math.min(100, (ms / end) * 100).toFixed(2)}%`;
  return (
    <figure aria-label={label} data-testid="timing-waterfall" className="space-y-1.5">
      <figcaption className="flex flex-wrap items-center gap-2 text-xs font-semibold uppercase tracking-wide text-slate-500">
        Timing
        {timings.reused ? (
          <span className="rounded-full bg-slate-100 px-2 py-0.5 font-medium normal-case tracking-normal text-slate-700">
            Reused connection (no DNS lookup, connect or TLS handshake)
          </span>
        ) : null}
        {timings.totalMs !== null ? <span className="font-normal normal-case tracking-normal text-slate-600">Total {formatPhaseMs(timings.totalMs)}</span> : null}
      </figcaption>
      <ol className="space-y-1 text-xs">
        {phases.map((p) => (
          <li key={p.key} data-phase={p.key} aria-label={`${p.label}: ${formatPhaseMs(p.ms)}`} className="grid grid-cols-[10rem_1fr_4.5rem] items-center gap-2">
            <span className="text-slate-600">{p.label}</span>
            <span aria-hidden="true" className="relative h-2.5 rounded bg-slate-100">
              <span className={`absolute inset-y-0 rounded ${COLORS[p.key]}`} style={{ left: pct(p.startMs), width: `max(2px, ${pct(p.ms)})` }} />
            </span>
            <span className="text-right tabular-nums text-slate-800">{formatPhaseMs(p.ms)}</span>
          </li>
        ))}
      </ol>
    </figure>
  );
}
