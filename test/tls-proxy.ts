import http from 'node:http';
import https from 'node:https';
import { testCa } from './ca';

export type TlsProxy = { url: string; close(): Promise<void> };

// An HTTPS front (the test CA's certificate for 127.0.0.1 and localhost) for a plain-HTTP server on 127.0.0.1:
// what a TLS-terminating proxy does in production. It keeps Host and adds X-Forwarded-Proto / -Host.
export async function startTlsProxy(listenPort: number, targetPort: number, host = '127.0.0.1'): Promise<TlsProxy> {
  const ca = testCa();
  const sockets = new Set<import('node:stream').Duplex>();
  const server = https.createServer({ cert: ca.certPem, key: ca.keyPem }, (req, res) => {
    const upstream = http.request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-proto': 'https', 'x-forwarded-host': req.headers.host ?? '' } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.rawHeaders);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(listenPort, '127.0.0.1', () => resolve()));
  return {
    url: `https://${host}:${listenPort}`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
