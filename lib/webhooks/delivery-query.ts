// The delivery list's filters and page as URL search parameters, shared by the pages, the JSON route and the browser.

import { DELIVERY_CURSOR, DELIVERY_STATUSES, type DeliveryStatus } from '@/db/values';

export const STATUSES = DELIVERY_STATUSES;
export type StatusFilter = DeliveryStatus;

// What the URL holds: filters (times as ISO instants), the page cursor and the cursors of the newer pages.
export type DeliveryQuery = {
  endpointId?: string;
  status?: StatusFilter;
  type?: string;
  since?: string;
  until?: string;
  eventId?: string;
  cursor?: string;
  prev: string[];
};

// How many newer-page cursors the URL keeps; beyond that, Newer jumps back to the newest page.
const MAX_PREV = 30;

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function getter(p: Params) {
  if (p instanceof URLSearchParams) return { one: (k: string) => p.get(k) ?? undefined, all: (k: string) => p.getAll(k) };
  return {
    one: (k: string) => {
      const v = p[k];
      return Array.isArray(v) ? v[0] : v;
    },
    all: (k: string) => {
      const v = p[k];
      return v === undefined ? [] : Array.isArray(v) ? v : [v];
    },
  };
}

function instant(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

// Reads a query from search parameters, dropping what is not valid (an unknown status, a bad time or cursor).
export function parseDeliveryQuery(params: Params): DeliveryQuery {
  const g = getter(params);
  const text = (k: string, max = 200) => {
    const v = g.one(k)?.trim();
    return v ? v.slice(0, max) : undefined;
  };
  const status = text('status') as StatusFilter | undefined;
  const cursor = text('cursor');
  return {
    endpointId: text('endpointId'),
    status: status && STATUSES.includes(status) ? status : undefined,
    type: text('type'),
    since: instant(text('since')),
    until: instant(text('until')),
    eventId: text('eventId'),
    cursor: cursor && DELIVERY_CURSOR.test(cursor) ? cursor : undefined,
    prev: g.all('prev').filter((c) => c === '' || DELIVERY_CURSOR.test(c)).slice(-MAX_PREV),
  };
}

// The search parameters of a query; `withEndpoint: false` leaves the endpoint out (the endpoint page has it in its path).
export function deliveryQueryString(q: DeliveryQuery, opts: { withEndpoint?: boolean } = {}): string {
  const p = new URLSearchParams();
  if (q.endpointId && opts.withEndpoint !== false) p.set('endpointId', q.endpointId);
  if (q.status) p.set('status', q.status);
  if (q.type) p.set('type', q.type);
  if (q.since) p.set('since', q.since);
  if (q.until) p.set('until', q.until);
  if (q.eventId) p.set('eventId', q.eventId);
  if (q.cursor) {
    p.set('cursor', q.cursor);
    for (const c of q.prev) p.append('prev', c);
  }
  return p.toString();
}

// The same filters on the next older page.
export function olderPage(q: DeliveryQuery, nextCursor: string): DeliveryQuery {
  return { ...q, cursor: nextCursor, prev: [...q.prev, q.cursor ?? ''].slice(-MAX_PREV) };
}

// The same filters on the previous newer page (the newest page when the trail is empty).
export function newerPage(q: DeliveryQuery): DeliveryQuery {
  const prev = q.prev.slice(0, -1);
  const cursor = q.prev.at(-1) || undefined;
  return { ...q, cursor, prev: cursor ? prev : [] };
}

// Whether any filter (not the page) is set.
export function hasFilters(q: DeliveryQuery): boolean {
  return Boolean(q.status || q.type || q.since || q.until || q.eventId);
}
