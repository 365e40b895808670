import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SecureVersion } from 'node:tls';
import { testCa } from './ca';

export type ReceivedRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: string; at: number };

// What the receiver does with the next request: succeed, fail with a status, hang, redirect, drip or send a large body.
export type Behavior =
  | { kind: 'ok'; status?: number; body?: string; headers?: Record<string, string> }
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'redirect'; location: string; status?: number }
  | { kind: 'large'; bytes: number }
  | { kind: 'drip'; intervalMs: number; chunks: number };

export type ReceiverOptions = {
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  ciphers?: string;
  expiredCert?: boolean;
  handler?: (req: ReceivedRequest) => Behavior | undefined;
};

export type Receiver = {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Behaviours used in order, one per request; when the queue is empty, `fallback` applies. */
  queue: Behavior[];
  fallback: Behavior;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
};

// An HTTPS receiver on 127.0.0.1 signed by the test CA that records every request and answers as told.
export async function startReceiver(opts: ReceiverOptions = {}): Promise<Receiver> {
  const ca = testCa();
  const sockets = new Set<import('node:stream').Duplex>();
  const timers = new Set<NodeJS.Timeout>();
  const receiver: Receiver = {
    url: '',
    port: 0,
    requests: [],
    queue: [],
    fallback: { kind: 'ok' },
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (receiver.requests.length < count) {
        if (Date.now() > deadline) throw new Error(`receiver got ${receiver.requests.length} of ${count} requests in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return receiver.requests.slice(0, count);
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = https.createServer(
    {
      cert: opts.expiredCert ? ca.expiredCertPem : ca.certPem,
      key: opts.expiredCert ? ca.expiredKeyPem : ca.keyPem,
      minVersion: opts.minVersion,
      maxVersion: opts.maxVersion,
      ciphers: opts.ciphers,
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const got: ReceivedRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        };
        receiver.requests.push(got);
        const behavior = opts.handler?.(got) ?? receiver.queue.shift() ?? receiver.fallback;
        respond(behavior, res, timers);
      });
    },
  );
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `https://127.0.0.1:${receiver.port}/webhook`;
  return receiver;
}

function respond(b: Behavior, res: import('node:http').ServerResponse, timers: Set<NodeJS.Timeout>) {
  switch (b.kind) {
    case 'ok':
    case 'status': {
      const status = b.kind === 'ok' ? (b.status ?? 200) : b.status;
      res.writeHead(status, { 'content-type': 'application/json', ...(b.headers ?? {}) });
      res.end(b.body ?? JSON.stringify({ ok: status < 300 }));
      return;
    }
    case 'hang':
      return;
    case 'redirect':
      res.writeHead(b.status ?? 302, { location: b.location });
      res.end();
      return;
    case 'large': {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let left = b.bytes;
      const pump = () => {
        while (left > 0) {
          const n = Math.min(left, chunk.length);
          left -= n;
          if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => {});
      pump();
      return;
    }
    case 'drip': {
      res.writeHead(200, { 'content-type': 'text/plain' });
      let n = 0;
      const tick = () => {
        if (res.destroyed) return;
        if (n++ >= b.chunks) return void res.end();
        res.write('.');
        const t = setTimeout(tick, b.intervalMs);
        timers.add(t);
      };
      tick();
      return;
    }
  }
}

// The receiver of a benchmark's child process: reports what `pick` takes of each request to the parent in batches
// (every 20 ms, forgetting the requests), after sending its URL; exits when the parent goes.
export async function reportingReceiverMain<T>(pick: (req: ReceivedRequest) => T | undefined): Promise<void> {
  let batch: T[] = [];
  const rx = await startReceiver({
    handler: (req) => {
      const v = pick(req);
      if (v !== undefined) batch.push(v);
      return undefined;
    },
  });
  setInterval(() => {
    rx.requests.length = 0;
    if (batch.length > 0) process.send!({ arrivals: batch });
    batch = [];
  }, 20);
  process.send!({ url: rx.url });
  process.on('disconnect', () => process.exit(0));
}
