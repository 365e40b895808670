'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { DeliveryTable } from './delivery-table';
import { fromLocalInput, pollDelayMs, toLocalInput } from './format';
import {
  deliveryQueryString, hasFilters, newerPage, olderPage, parseDeliveryQuery, STATUSES,
  type DeliveryQuery,
} from '@/lib/webhooks/delivery-query';
import type { DeliveryPageJson } from '@/lib/webhooks/delivery-json';

// Fired (on window) after something creates or replays deliveries, so the lists on the page fetch again at once.
export const DELIVERIES_CHANGED = 'hookrelay:deliveries-changed';
// Fired (on window) when a live list fetched rows that differ from what it showed, so other panels (stats) refresh.
export const DELIVERIES_LOADED = 'hookrelay:deliveries-loaded';
const RETRY_MS = 2000;

type Props = {
  initial: DeliveryPageJson;
  initialQuery: DeliveryQuery;
  /** 'endpoint': one endpoint's deliveries (its id is fixed, not in the URL); 'org': every endpoint's. */
  scope: 'org' | 'endpoint';
  eventTypes: string[];
  endpoints?: { id: string; url: string }[];
  /** The list alone, without filters and pages (an endpoint's Overview). */
  compact?: boolean;
  /** Rows per page when not the default. */
  limit?: number;
};

const signature = (p: DeliveryPageJson) => p.data.map((d) => `${d.id}:${d.status}:${d.attempts}`).join(',');

// The delivery list with its filters and Older/Newer pages; the filters live in the URL, and rows in flight update
// from the session-authenticated JSON route (every 2 s while one is delivering or due) until none is pending.
export function DeliveryBrowser({ initial, initialQuery, scope, eventTypes, endpoints, compact = false, limit }: Props) {
  const [q, setQ] = useState<DeliveryQuery>(initialQuery);
  const [page, setPage] = useState<DeliveryPageJson>(initial);
  const [now, setNow] = useState(initial.now);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [mounted, setMounted] = useState(false);
  const [eventId, setEventId] = useState(initialQuery.eventId ?? '');
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const shown = useRef(signature(initial));
  const fixedEndpoint = scope === 'endpoint' ? initialQuery.endpointId : undefined;

  const load = useCallback(async (query: DeliveryQuery, quiet = false) => {
    const n = ++seq.current;
    if (!quiet) setLoading(true);
    try {
      const qs = deliveryQueryString(query);
      const res = await fetch(`/api/internal/deliveries?${qs}${limit ? `${qs ? '&' : ''}limit=${limit}` : ''}`, { cache: 'no-store' });
      const body = await res.json().catch(() => ({ error: `The server answered ${res.status}.` }));
      if (n !== seq.current) return;
      if (!res.ok) throw new Error(body.error ?? `The server answered ${res.status}.`);
      const next = body as DeliveryPageJson;
      if (signature(next) !== shown.current) {
        shown.current = signature(next);
        window.dispatchEvent(new Event(DELIVERIES_LOADED));
      }
      setPage(next);
      setNow((body as DeliveryPageJson).now);
      setError(null);
    } catch (e) {
      if (n === seq.current) setError(`Could not load deliveries: ${(e as Error).message} Retrying…`);
    } finally {
      if (n === seq.current) {
        setLoading(false);
        setTick((t) => t + 1);
      }
    }
  }, [limit]);

  const apply = useCallback((next: DeliveryQuery) => {
    const query = { ...next, endpointId: fixedEndpoint ?? next.endpointId };
    setQ(query);
    const qs = deliveryQueryString(query, { withEndpoint: scope === 'org' });
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${qs ? `?${qs}` : ''}${window.location.hash}`);
    void load(query);
  }, [fixedEndpoint, load, scope]);

  // The endpoint page is rendered without its search parameters: pick up filters from the URL once mounted.
  useEffect(() => {
    setMounted(true);
    if (scope !== 'endpoint') return;
    const fromUrl = parseDeliveryQuery(new URLSearchParams(window.location.search));
    if (hasFilters(fromUrl) || fromUrl.cursor) {
      setEventId(fromUrl.eventId ?? '');
      apply({ ...fromUrl, endpointId: fixedEndpoint });
    }
  }, []);

  // Poll while any row is in flight (every 2 s, slower while the next retry is far off) or the last fetch failed;
  // refetch at once when deliveries change on the page.
  const delay = error ? RETRY_MS : pollDelayMs(page.data, page.now);
  const polling = delay !== null;
  useEffect(() => {
    if (delay === null) return;
    const t = setTimeout(() => void load(q, true), delay);
    return () => clearTimeout(t);
  }, [delay, tick, q, load]);
  useEffect(() => {
    const onChange = () => void load(q, true);
    window.addEventListener(DELIVERIES_CHANGED, onChange);
    return () => window.removeEventListener(DELIVERIES_CHANGED, onChange);
  }, [q, load]);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);

  const set = (patch: Partial<DeliveryQuery>) => apply({ ...q, ...patch, cursor: undefined, prev: [] });
  const filtered = hasFilters(q) || Boolean(!fixedEndpoint && q.endpointId);

  return (
    <div className="space-y-3" aria-busy={loading}>
      {compact ? null : <div className="flex flex-wrap items-end gap-3">
        <Labeled id={`${scope}-status`} label="Filter by status">
          <Select id={`${scope}-status`} value={q.status ?? ''} onChange={(e) => set({ status: (e.target.value || undefined) as DeliveryQuery['status'] })}>
            <option value="">All statuses</option>
            {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </Select>
        </Labeled>
        <Labeled id={`${scope}-type`} label="Filter by event type">
          <Select id={`${scope}-type`} value={q.type ?? ''} onChange={(e) => set({ type: e.target.value || undefined })}>
            <option value="">All event types</option>
            {[...new Set([...eventTypes, ...(q.type ? [q.type] : [])])].map((t) => <option key={t} value={t}>{t}</option>)}
          </Select>
        </Labeled>
        {endpoints ? (
          <Labeled id={`${scope}-endpoint`} label="Filter by endpoint">
            <Select id={`${scope}-endpoint`} value={q.endpointId ?? ''} onChange={(e) => set({ endpointId: e.target.value || undefined })} className="max-w-64">
              <option value="">All endpoints</option>
              {endpoints.map((ep) => <option key={ep.id} value={ep.id}>{ep.url}</option>)}
            </Select>
          </Labeled>
        ) : null}
        <Labeled id={`${scope}-since`} label="Since">
          <Input id={`${scope}-since`} type="datetime-local" value={mounted ? toLocalInput(q.since) : ''}
            onChange={(e) => set({ since: fromLocalInput(e.target.value) || undefined })} />
        </Labeled>
        <Labeled id={`${scope}-until`} label="Until">
          <Input id={`${scope}-until`} type="datetime-local" value={mounted ? toLocalInput(q.until) : ''}
            onChange={(e) => set({ until: fromLocalInput(e.target.value) || undefined })} />
        </Labeled>
        <form role="search" className="flex items-end gap-2" onSubmit={(e) => { e.preventDefault(); set({ eventId: eventId.trim() || undefined }); }}>
          <Labeled id={`${scope}-event-id`} label="Search by event id">
            <Input id={`${scope}-event-id`} type="search" placeholder="evt_…" value={eventId} onChange={(e) => setEventId(e.target.value)} className="w-64 font-mono" />
          </Labeled>
          <Button type="submit" variant="secondary">Search</Button>
        </form>
        {filtered ? (
          <Button type="button" variant="ghost" onClick={() => { setEventId(''); apply({ endpointId: fixedEndpoint, prev: [] }); }}>Clear filters</Button>
        ) : null}
      </div>}

      {error ? <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">{error}</p> : null}

      {page.data.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-surface p-8 text-center text-sm text-slate-600">
          {filtered || q.cursor ? 'No deliveries match these filters.' : scope === 'endpoint'
            ? 'No deliveries yet. Send a test event to see one here.'
            : 'No deliveries yet. Events you publish, and test events, show up here, one row per endpoint.'}
        </div>
      ) : (
        <DeliveryTable rows={page.data} now={now} showEndpoint={scope === 'org'} />
      )}

      {compact ? (polling && !error ? <p className="text-sm text-slate-500">Updating live while deliveries are in flight…</p> : null) : <nav aria-label="Pages" className="flex items-center justify-between text-sm">
        <span className="text-slate-500">{polling && !error ? 'Updating live while deliveries are in flight…' : 'Newest first.'}</span>
        <div className="flex gap-2">
          <Button type="button" variant="secondary" disabled={!q.cursor || loading} onClick={() => apply(newerPage(q))}>← Newer</Button>
          <Button type="button" variant="secondary" disabled={!page.nextCursor || loading} onClick={() => page.nextCursor && apply(olderPage(q, page.nextCursor))}>Older →</Button>
        </div>
      </nav>}
    </div>
  );
}

function Labeled({ id, label, children }: { id: string; label: string; children: React.ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">{label}</label>
      {children}
    </div>
  );
}
