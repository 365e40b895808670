import http from 'node:http';

export type PlatformApp = { close(): Promise<void> };
export type PlatformAppOptions = {
  port: number;
  /** Hookrelay's API, server to server (http://127.0.0.1:…). */
  hookrelayApi: string;
  platformKey: string;
  /** The app's own public origin (behind the TLS proxy), for returnUrl. */
  publicOrigin: string;
  /** The Hookrelay origin a page of /evil frames. */
  hookrelayOrigin: string;
};

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family: sans-serif">${body}</body></html>`;

// A tiny platform ("Acme Cloud") with its own sign-in: its Settings page makes the customer's tenant, defines its event
// type and frames an embedded Hookrelay portal session — the integration a platform writes, in ~60 lines.
export async function startPlatformApp(o: PlatformAppOptions): Promise<PlatformApp> {
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${o.hookrelayApi}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${o.platformKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  await api('PUT', '/platform/branding', { productName: 'Acme Cloud', primaryColor: '#0f766e' });
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      const user = /(?:^|;\s*)acme_user=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      if (url.pathname === '/sign-in' && req.method === 'POST') {
        let raw = '';
        for await (const c of req) raw += c;
        const email = new URLSearchParams(raw).get('email') ?? '';
        res.writeHead(303, { location: '/settings', 'set-cookie': `acme_user=${encodeURIComponent(email)}; Path=/; HttpOnly; Secure; SameSite=Lax` });
        return res.end();
      }
      if (url.pathname === '/sign-in') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end(page('Acme sign-in', '<h1>Sign in to Acme Cloud</h1><form method="post"><label>Email <input name="email"></label><button>Sign in</button></form>'));
      }
      if (url.pathname === '/settings') {
        if (!user) {
          res.writeHead(303, { location: '/sign-in' });
          return res.end();
        }
        const email = decodeURIComponent(user);
        const customer = `cust-${email.split('@')[1]!.replace(/[^A-Za-z0-9.-]/g, '')}`;
        await api('PUT', `/platform/tenants/${customer}`, { name: email.split('@')[1] });
        await api('PUT', '/platform/event-types/invoice.paid', {
          description: 'An invoice was paid.',
          schema: { type: 'object', properties: { invoiceId: { type: 'string' }, amount: { type: 'integer' } }, required: ['invoiceId', 'amount'] },
          sample: { invoiceId: 'inv_1', amount: 4200 },
        });
        const session = await api('POST', `/platform/tenants/${customer}/portal-sessions`, {
          user: { id: email, email }, role: 'admin', embed: true, returnUrl: `${o.publicOrigin}/settings`,
        });
        res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
        return res.end(page('Acme settings', `<h1>Acme Cloud · Settings</h1><p>Signed in as ${email}</p>
<iframe title="Webhooks" src="${session.url}" style="width: 100%; height: 900px; border: 1px solid #ccc"></iframe>`));
      }
      if (url.pathname === '/evil') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end(page('Not listed', `<h1>Framed by an origin not listed</h1><iframe title="Framed" src="${o.hookrelayOrigin}/settings/webhooks" style="width: 100%; height: 600px"></iframe>`));
      }
      res.writeHead(404);
      res.end();
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    }
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(o.port, '127.0.0.1', () => resolve()));
  return { close: () => new Promise<void>((r) => server.close(() => r())) };
}
