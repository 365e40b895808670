import { env } from '@/lib/env';
import { getBranding } from './branding';
import { frameAncestors, PORTAL_COOKIE, PORTAL_ENDED_PATH } from './embed';
import { redeemPortalLink } from './portal';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// The Set-Cookie of a portal session: HttpOnly; when PUBLIC_URL is https also Secure and SameSite=None, so a cross-site
// iframe sends it, and Partitioned (CHIPS), so browsers that block third-party cookies keep it, keyed to the framing site.
export function portalCookie(value: string, maxAgeSeconds: number): string {
  const https = env().PUBLIC_URL.startsWith('https://');
  return [`${PORTAL_COOKIE}=${value}`, 'Path=/', 'HttpOnly', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`, ...(https ? ['Secure', 'SameSite=None', 'Partitioned'] : ['SameSite=Lax'])].join('; ');
}

function headers(extra: Record<string, string> = {}): Headers {
  const h = new Headers({
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer', // the token must not leak to the pages the visitor goes on to
    'content-security-policy': `${frameAncestors(true, env().HOOKRELAY_EMBED_ORIGINS)}; default-src 'none'; style-src 'unsafe-inline'`,
    ...extra,
  });
  return h;
}

// GET /portal/{token}: redeems a portal link (a session cookie, then Settings → Webhooks), or answers 403 with the
// one page every used, expired, forged or ended link gets.
export async function handlePortalLink(token: string): Promise<Response> {
  if (token !== PORTAL_ENDED_PATH.split('/').pop()) {
    const redeemed = await redeemPortalLink(token);
    if (redeemed) {
      const h = headers({ location: '/settings/webhooks' });
      h.set('content-security-policy', frameAncestors(true, env().HOOKRELAY_EMBED_ORIGINS));
      h.append('set-cookie', portalCookie(redeemed.secret, (redeemed.expiresAt.getTime() - Date.now()) / 1000));
      return new Response(null, { status: 303, headers: h });
    }
  }
  const { productName, primaryColor } = await getBranding();
  const name = escapeHtml(productName);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Link no longer valid</title></head>
<body style="font-family: system-ui, sans-serif; margin: 0; display: flex; min-height: 100vh; align-items: center; justify-content: center; background: #f8fafc; color: #0f172a">
<main style="max-width: 28rem; padding: 2rem; border: 1px solid #e2e8f0; border-radius: 0.75rem; background: white; border-top: 4px solid ${escapeHtml(primaryColor)}">
<h1 style="font-size: 1.25rem; margin: 0 0 0.5rem">This link is no longer valid</h1>
<p style="margin: 0; color: #475569">Links to webhook settings work once and for a short time. Open Webhooks again from ${name}.</p>
</main></body></html>`;
  const h = headers({ 'content-type': 'text/html; charset=utf-8' });
  // An ended session's cookie is dropped here, so a Hookrelay sign-in in the same browser works again.
  h.append('set-cookie', portalCookie('', 0));
  return new Response(html, { status: 403, headers: h });
}
