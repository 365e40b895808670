import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, errorResponse, type ApiAnswer } from './errors';
import { API_ROUTES } from './handlers';
import { tooLarge, type ApiRequest, type ApiRoute } from './pipeline';
import { API_PREFIX, createRouter } from './router';

export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

// Whether a request's URL is the API's (the server hands every other request to Next).
export function isApiUrl(url: string | undefined): boolean {
  if (!url?.startsWith(API_PREFIX)) return false;
  const next = url.charCodeAt(API_PREFIX.length);
  return Number.isNaN(next) || next === 47 /* / */ || next === 63 /* ? */;
}

// The API as a node:http listener: no framework between the socket and the route table.
export function createApiListener(table: readonly ApiRoute[] = API_ROUTES): NodeListener {
  const dispatch = createRouter(table);
  return (req, res) => {
    const apiReq: ApiRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      origin: `http://${req.headers.host ?? 'localhost'}`,
      readBody: (limit) => readBody(req, res, limit),
    };
    dispatch(apiReq).then(
      (answer) => send(res, answer),
      (e: unknown) => {
        console.error('api: unexpected failure outside a route', e);
        send(res, errorResponse(new ApiError('internal', 'Internal error')));
      },
    );
  };
}

function send(res: ServerResponse, a: ApiAnswer): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(a.status, a.headers);
  res.end(a.body ?? undefined);
}

// Reads a request body up to `limit` bytes. Past it: ApiError too_large, and the connection closes after the answer
// rather than reading the rest.
function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err?: unknown) => {
      if (done) return;
      done = true;
      req.off('data', onData).off('end', onEnd).off('error', finish).off('aborted', onAborted);
      if (err) reject(err);
      else resolve(chunks.length === 0 ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        res.setHeader('connection', 'close');
        req.pause();
        finish(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onAborted = () => finish(new Error('the client closed the request'));
    req.on('data', onData).on('end', onEnd).on('error', finish).on('aborted', onAborted);
  });
}

/** A server of the API alone (tests, extra API processes): /api/v1/* from the route table, 404 for anything else. */
export async function startApiServer(opts: { host?: string; port?: number; table?: readonly ApiRoute[] } = {}) {
  const api = createApiListener(opts.table);
  const server = http.createServer((req, res) => {
    if (isApiUrl(req.url)) return api(req, res);
    send(res, errorResponse(new ApiError('not_found', 'This server answers /api/v1 only.')));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
