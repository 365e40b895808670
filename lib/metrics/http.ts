import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, timingSafeEqual } from 'node:crypto';
import { env } from '@/lib/env';
import { metrics } from './registry';

export const METRICS_PATH = '/metrics';

// Whether a request is for /metrics (with or without a query string).
export function isMetricsUrl(url: string | undefined): boolean {
  return url === METRICS_PATH || url?.startsWith(`${METRICS_PATH}?`) === true;
}

// Who may scrape: 'absent' (no METRICS_TOKEN configured, or no Bearer header: 404, as if there were no such page),
// 'wrong' (401) or 'ok'. The token is compared in constant time (both sides hashed to the same length first).
export function scrapeAccess(authorization: string | undefined, token: string | undefined): 'absent' | 'wrong' | 'ok' {
  if (!token) return 'absent';
  const m = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
  if (!m) return 'absent';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]!.trim()), digest(token)) ? 'ok' : 'wrong';
}

// GET /metrics: this process's metrics in Prometheus text format, for a scraper holding METRICS_TOKEN.
export async function handleMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const plain = (status: number, text: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(text);
  };
  const access = scrapeAccess(req.headers.authorization, env().METRICS_TOKEN);
  if (access === 'absent') return plain(404, 'Not found\n');
  if (access === 'wrong') return plain(401, 'The Bearer token does not match METRICS_TOKEN.\n', { 'www-authenticate': 'Bearer' });
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'Use GET.\n', { allow: 'GET, HEAD' });
  try {
    const { registry } = metrics();
    const body = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (err) {
    console.error('metrics: collecting failed', err);
    if (!res.headersSent) plain(500, 'Collecting metrics failed; see the server log.\n');
  }
}

// The metrics server of a worker process: /metrics on HOST:port, 404 for anything else.
export async function startMetricsServer(opts: { host: string; port: number }): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (isMetricsUrl(req.url)) return void handleMetrics(req, res);
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(opts.port, opts.host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
