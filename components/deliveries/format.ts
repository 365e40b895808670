// Display helpers for deliveries and attempts; pure, so server and browser render the same text.

export type Tone = 'slate' | 'green' | 'red' | 'amber' | 'blue';

// The badge colour of a delivery status.
export function statusTone(status: string): Tone {
  return status === 'succeeded' ? 'green' : status === 'failed' ? 'red' : status === 'delivering' ? 'blue' : status === 'skipped' ? 'slate' : 'amber';
}

// Why a skipped delivery was not sent, in words.
export function skipReasonText(reason: string | null | undefined): string {
  return reason === 'endpoint_disabled' ? 'the endpoint was disabled when the event was published' : reason ? reason : 'not sent';
}

// Whether a delivery may still change without anyone acting (the lists poll while one is).
export function inFlight(status: string): boolean {
  return status === 'pending' || status === 'delivering';
}

// "just now", "2 min ago", "3 h ago", "5 d ago"; and for the future "in 10 min".
export function relativeTime(d: Date | string | null | undefined, now: number): string {
  if (!d) return '—';
  const ms = new Date(d).getTime() - now;
  const abs = Math.abs(ms);
  if (abs < 45_000) return ms > 0 ? 'in a few seconds' : 'just now';
  const unit = abs < 3_600_000 ? [60_000, 'min'] : abs < 172_800_000 ? [3_600_000, 'h'] : [86_400_000, 'd'];
  const n = Math.max(1, Math.round(abs / (unit[0] as number)));
  return ms > 0 ? `in ${n} ${unit[1]}` : `${n} ${unit[1]} ago`;
}

// A latency in ms as "85 ms" or "1.2 s".
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

// A rate 0–1 as "97.5%"; a dash when there is none.
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  const pct = rate * 100;
  return `${pct === 100 || pct === 0 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

// A date as the value of an <input type="datetime-local"> in the browser's time zone.
export function toLocalInput(d: Date | string | null | undefined): string {
  if (!d) return '';
  const date = new Date(d);
  if (Number.isNaN(date.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${p(date.getHours())}:${p(date.getMinutes())}`;
}

// The value of an <input type="datetime-local"> (browser time zone) as an ISO instant, or '' when empty or invalid.
export function fromLocalInput(value: string): string {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

// Pretty-prints stored JSON text (key order kept); the text itself when it is not JSON.
export function prettyJson(text: string | null | undefined): string {
  if (!text) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

// How soon to look again at deliveries that may change by themselves: every 2 s while one is delivering or due within
// a few seconds, else when the soonest retry falls due (at most 15 s away); null when none is in flight.
export function pollDelayMs(rows: { status: string; nextAttemptAt: string | Date | null }[], now: number): number | null {
  let delay: number | null = null;
  for (const r of rows) {
    if (r.status === 'delivering') return 2000;
    if (r.status !== 'pending') continue;
    const due = r.nextAttemptAt ? new Date(r.nextAttemptAt).getTime() - now : 0;
    const d = due <= 5000 ? 2000 : Math.min(15_000, due);
    delay = delay === null ? d : Math.min(delay, d);
  }
  return delay;
}

// A time as "2 Dec 2026, 14:05 CET" in a time zone (the viewer's when undefined), naming the zone.
export function localTime(d: Date | string, timeZone?: string, seconds = false): string {
  const date = new Date(d);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}), timeZoneName: 'short', timeZone,
  }).format(date);
}

// A URL shortened in the middle to about `max` characters, keeping the host's start and the path's end.
export function middleEllipsis(text: string, max = 48): string {
  if (text.length <= max) return text;
  const keep = max - 1;
  const origin = text.match(/^[a-z]+:\/\/[^/]+/i)?.[0].length ?? 0;
  const head = Math.max(Math.ceil(keep * 0.6), Math.min(origin, keep - 8));
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}

// An attempt's timings as stored and as the API returns them (ms; null where not measured).
export type Timings = { dnsMs: number | null; connectMs: number | null; tlsMs: number | null; ttfbMs: number | null; totalMs: number | null; reused: boolean | null };
// One bar of the timing waterfall: where it starts and how long it lasts (ms from the attempt's start).
export type TimingPhase = { key: 'dns' | 'connect' | 'tls' | 'wait' | 'download'; label: string; startMs: number; ms: number };

// The waterfall of an attempt, in order: DNS lookup, TCP connect and TLS handshake (new connections only), waiting for
// the first byte (from the connection being ready), then reading the response; an empty list when nothing was measured.
export function timingPhases(t: Timings): TimingPhase[] {
  const phases: TimingPhase[] = [];
  let at = 0;
  const add = (key: TimingPhase['key'], label: string, ms: number | null) => {
    if (ms === null || ms < 0) return;
    phases.push({ key, label, startMs: at, ms });
    at += ms;
  };
  add('dns', 'DNS lookup', t.dnsMs);
  add('connect', 'TCP connect', t.connectMs);
  add('tls', 'TLS handshake', t.tlsMs);
  if (t.ttfbMs !== null) add('wait', 'Waiting for the first byte', Math.max(0, t.ttfbMs - at));
  if (t.ttfbMs !== null && t.totalMs !== null) add('download', 'Reading the response', Math.max(0, t.totalMs - at));
  return phases;
}

// A phase length as "0.4 ms", "12 ms" or "1.2 s".
export function formatPhaseMs(ms: number): string {
  return ms < 10 ? `${(Math.round(ms * 10) / 10).toFixed(1)} ms` : formatLatency(ms);
}
