import { exactTime } from '@/components/ui/time';
import type { WireFormat } from '@/lib/signing';
import type { SecretRow } from './secret-panel';

// Times as the dashboard shows them: UTC, to the minute, so server and browser render the same text.
export function formatTime(d: Date | string | null | undefined): string {
  if (!d) return '—';
  const date = typeof d === 'string' ? new Date(d) : d;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

// How long until a time, in the largest useful unit: "23 h", "6 d 23 h", "45 min", "less than a minute".
export function durationUntil(d: Date | string, now = Date.now()): string {
  const ms = (typeof d === 'string' ? new Date(d) : d).getTime() - now;
  if (ms <= 60_000) return 'less than a minute';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest ? `${days} d ${rest} h` : `${days} d`;
}

// The wire formats, with the headers each one sends (DESIGN.md "Wire formats").
export const FORMAT_INFO: Record<WireFormat, { label: string; help: string }> = {
  standard: { label: 'standard', help: 'Standard Webhooks: sends webhook-id, webhook-timestamp and webhook-signature headers.' },
  axifi: { label: 'axifi', help: 'Standard headers, and adds X-Webhook-Signature: sha256=<hex> with the Axifi body shape.' },
  axle: { label: 'axle', help: 'Standard headers, and adds X-Signature: <hex> with the Axle body shape.' },
};

// The vendor header a format adds, if any.
export function vendorHeader(format: string): string | null {
  return format === 'axifi' ? 'X-Webhook-Signature' : format === 'axle' ? 'X-Signature' : null;
}

// A signing secret as the Signing secret panel shows it (masked, with when its grace period ends), from what the
// server read; the panel is a client component, so dates travel as strings.
export function secretRows(
  secrets: readonly { id: string; masked: string; createdAt: Date; expiresAt: Date | null }[],
  now = Date.now(),
): SecretRow[] {
  return secrets.map((s) => ({
    id: s.id,
    masked: s.masked,
    createdAt: s.createdAt.toISOString(),
    expiresAt: s.expiresAt?.toISOString() ?? null,
    expiresIn: s.expiresAt ? durationUntil(s.expiresAt, now) : null,
    expiresExact: s.expiresAt ? exactTime(s.expiresAt) : null,
  }));
}
