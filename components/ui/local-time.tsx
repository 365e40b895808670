'use client';

import { localTime } from '@/components/deliveries/format';
import { exactTime } from './time';
import { useHydrated } from './use-hydrated';

// A time in the viewer's own time zone with the zone named ("2 Dec 2026, 14:05 CET"), the exact UTC time on hover.
// The server's HTML shows UTC; the browser swaps in its local time once hydrated.
export function LocalTime({ at, seconds = false }: { at: Date | string | null | undefined; seconds?: boolean }) {
  const hydrated = useHydrated();
  if (!at) return <span className="text-slate-500">—</span>;
  const d = new Date(at);
  return (
    <time dateTime={d.toISOString()} title={exactTime(d)}>
      {localTime(d, hydrated ? undefined : 'UTC', seconds)}
    </time>
  );
}
