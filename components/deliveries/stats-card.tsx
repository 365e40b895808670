import { endpointStats, type StatsBucket, type WindowStats } from '@/lib/webhooks/stats';
import { formatLatency, formatRate } from './format';

// Success rate and latency p50/p95 of an endpoint's attempts over 24 h and 7 days, with bar charts (server component).
export async function StatsCard({ orgId, endpointId }: { orgId: string; endpointId: string }) {
  const s = await endpointStats(orgId, endpointId);
  return (
    <div className="grid gap-6 md:grid-cols-2">
      <StatsWindow title="Last 24 hours" w={s.day} buckets={s.hourly} unit="hour" />
      <StatsWindow title="Last 7 days" w={s.week} buckets={s.daily} unit="day" />
    </div>
  );
}

function StatsWindow({ title, w, buckets, unit }: { title: string; w: WindowStats; buckets: StatsBucket[]; unit: 'hour' | 'day' }) {
  const id = unit === 'hour' ? 'stats-24h' : 'stats-7d';
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h3 id={id} className="text-sm font-medium text-slate-700">{title}</h3>
      <dl className="grid grid-cols-3 gap-2 text-center" data-testid={id}>
        <Figure label="Success rate" value={formatRate(w.successRate)} tone={w.successRate === null ? '' : w.successRate >= 0.99 ? 'text-emerald-700' : w.successRate >= 0.9 ? 'text-amber-700' : 'text-red-700'} />
        <Figure label="p50 latency" value={formatLatency(w.p50)} />
        <Figure label="p95 latency" value={formatLatency(w.p95)} />
      </dl>
      <p className="text-xs text-slate-500">{w.attempts} attempt{w.attempts === 1 ? '' : 's'}, {w.succeeded} succeeded.</p>
      <BarChart buckets={buckets} unit={unit} />
    </section>
  );
}

function Figure({ label, value, tone = '' }: { label: string; value: string; tone?: string }) {
  return (
    <div className="rounded-md bg-slate-50 px-2 py-2">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className={`text-lg font-semibold tabular-nums ${tone}`}>{value}</dd>
    </div>
  );
}

const W = 336;
const H = 80;

function bucketLabel(start: Date, unit: 'hour' | 'day'): string {
  const iso = start.toISOString();
  return unit === 'hour' ? `${iso.slice(11, 16)} UTC` : iso.slice(5, 10);
}

// One bar per bucket: its height is the number of attempts, green for succeeded and red for failed; hover for figures.
function BarChart({ buckets, unit }: { buckets: StatsBucket[]; unit: 'hour' | 'day' }) {
  const max = Math.max(1, ...buckets.map((b) => b.attempts));
  const slot = W / buckets.length;
  const bar = Math.max(2, slot - (unit === 'hour' ? 3 : 10));
  const total = buckets.reduce((n, b) => n + b.attempts, 0);
  const label = total === 0
    ? `No attempts in the last ${unit === 'hour' ? '24 hours' : '7 days'}.`
    : `Attempts per ${unit}: ${buckets.filter((b) => b.attempts > 0).map((b) => `${bucketLabel(b.start, unit)} ${b.attempts} (${formatRate(b.successRate)} succeeded)`).join('; ')}.`;
  return (
    <figure className="space-y-1">
      <svg viewBox={`0 0 ${W} ${H + 14}`} className="h-auto w-full" role="img" aria-label={label}>
        <line x1="0" y1={H + 0.5} x2={W} y2={H + 0.5} className="stroke-slate-300" strokeWidth="1" />
        {buckets.map((b, i) => {
          const x = i * slot + (slot - bar) / 2;
          const h = (b.attempts / max) * (H - 4);
          const okH = b.attempts ? (b.succeeded / b.attempts) * h : 0;
          const tip = `${bucketLabel(b.start, unit)}: ${b.attempts} attempts, ${formatRate(b.successRate)} succeeded, p50 ${formatLatency(b.p50)}, p95 ${formatLatency(b.p95)}`;
          return (
            <g key={b.start.toISOString()}>
              <title>{tip}</title>
              <rect x={x} y={0} width={bar} height={H} className="fill-transparent" />
              {h > 0 ? <rect x={x} y={H - h} width={bar} height={h - okH} className="fill-red-400" /> : null}
              {okH > 0 ? <rect x={x} y={H - okH} width={bar} height={okH} className="fill-emerald-500" /> : null}
              {b.attempts === 0 ? <rect x={x} y={H - 1} width={bar} height={1} className="fill-slate-200" /> : null}
            </g>
          );
        })}
        {[0, Math.floor(buckets.length / 2), buckets.length - 1].map((i) => (
          <text key={i} x={i * slot + slot / 2} y={H + 12} textAnchor="middle" className="fill-slate-500 text-[9px]">
            {buckets[i] ? bucketLabel(buckets[i]!.start, unit).replace(' UTC', '') : ''}
          </text>
        ))}
      </svg>
      <figcaption className="flex gap-3 text-xs text-slate-500">
        <span><span className="mr-1 inline-block h-2 w-2 rounded-sm bg-emerald-500" />succeeded</span>
        <span><span className="mr-1 inline-block h-2 w-2 rounded-sm bg-red-400" />failed</span>
        <span>per {unit === 'hour' ? 'hour (UTC)' : 'day (UTC)'}</span>
      </figcaption>
    </figure>
  );
}
