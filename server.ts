// The one HTTP server of `npm start`: /api/v1/* straight from lib/api's route table (node:http, no framework),
// /metrics for a Prometheus scraper holding METRICS_TOKEN, every other request through Next's request handler (Next's documented custom server). Boots the process first:
// migrates the database and, unless WEBHOOK_WORKER=off, starts the delivery worker — the only place it starts.
import http from 'node:http';
import path from 'node:path';
import { createApiListener, isApiUrl } from './lib/api/http';
import { boot, shutdown } from './lib/boot';
import { installPeerHeaders } from './lib/http/peer-hook';
import { env } from './lib/env';
import { handleMetrics, isMetricsUrl } from './lib/metrics/http';

export type ServerOptions = { dir?: string; dev?: boolean; log?: (msg: string) => void };

// Starts the server on HOST:PORT; resolves once it accepts connections. SIGINT/SIGTERM close it gracefully.
export async function startServer(opts: ServerOptions = {}): Promise<http.Server> {
  const e = env();
  const log = opts.log ?? ((m: string) => console.log(m));
  installPeerHeaders(); // each request's socket address and TLS state, for the limits per client and the Secure cookie
  await boot();
  const { default: next } = await import('next');
  const app = next({ dev: opts.dev ?? false, dir: path.resolve(opts.dir ?? '.'), hostname: e.HOST, port: e.PORT });
  await app.prepare();
  const nextHandler = app.getRequestHandler();
  const api = createApiListener();
  const server = http.createServer((req, res) => {
    if (isApiUrl(req.url)) return api(req, res);
    if (isMetricsUrl(req.url)) return void handleMetrics(req, res);
    nextHandler(req, res).catch((err: unknown) => {
      console.error('next: request failed', err);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 65_000;
  if (opts.dev) server.on('upgrade', app.getUpgradeHandler());
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(e.PORT, e.HOST, resolve));
  log(`Hookrelay listening on http://${e.HOST}:${e.PORT}`);
  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    log(`${signal}: closing`);
    server.close();
    server.closeIdleConnections();
    await shutdown().catch((err: unknown) => console.error('shutdown failed', err));
    await app.close().catch(() => {});
    process.exit(0);
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void close(sig));
  return server;
}
