/** The cookie that holds a portal session; never the next-auth session's cookie. */
export const PORTAL_COOKIE = 'hookrelay_portal';
/** Where a browser with an ended portal session is sent: a 403 page saying the link is no longer valid. */
export const PORTAL_ENDED_PATH = '/portal/ended';

// The Content-Security-Policy frame-ancestors of a page: embedded portal pages may be framed by the origins of
// HOOKRELAY_EMBED_ORIGINS, every other page by nobody. Pure, so the proxy can use it.
export function frameAncestors(embedded: boolean, origins: readonly string[]): string {
  return embedded && origins.length ? `frame-ancestors ${origins.join(' ')}` : `frame-ancestors 'none'`;
}

// HOOKRELAY_EMBED_ORIGINS as a list (lib/env validates it at start).
export function embedOriginsFrom(value: string | undefined): string[] {
  return (value ?? '').split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
}
