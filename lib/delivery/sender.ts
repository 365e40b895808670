import { Client, Pool, type buildConnector, type Dispatcher } from 'undici';
import { isIP } from 'node:net';
import pkg from '@/package.json';
import { checkUrl, systemResolver, type Resolver } from './url-guard';
import { pinnedConnector, tenthDown, tenthUp, TlsVerifyError, type ConnectTimings, type TlsInfo } from './pinned-connector';
import { TRANSPORT_HEADERS } from './headers';
import { classifyError, classifyStatus, parseRetryAfter, type FailureCause, type Phase } from './failure';

export type { FailureCause } from './failure';

// Where an attempt's time went (ms, 0.1 ms precision): DNS lookup, TCP connect and TLS handshake of a new connection
// (null on a reused keep-alive connection, `reused: true`), and time to first byte counted from the attempt's start.
// The total is the attempt's latencyMs. Null where the attempt did not get that far (or DNS for an IP address).
export type AttemptTimings = { dnsMs: number | null; connectMs: number | null; tlsMs: number | null; ttfbMs: number | null; reused: boolean | null };

// The outcome of one HTTP attempt; never thrown, always returned.
export type AttemptResult = {
  ok: boolean;
  status?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  latencyMs: number;
  tlsVersion?: string;
  peerCertExpiresAt?: Date;
  failureCause?: FailureCause;
  failureMessage?: string;
  retryAfterSeconds?: number;
  timings?: AttemptTimings;
};

// How a sender behaves; one sender (and its connection pools) serves a whole worker process.
export type SenderOptions = {
  timeoutMs: number;
  allowPrivate: boolean;
  resolve?: Resolver;
  userAgent?: string;
  maxResponseBytes?: number;
  connectionsPerOrigin?: number;
};

// One outgoing delivery request; the URL is checked again here, whatever was checked when it was saved.
export type SendRequest = { url: string; headers: Record<string, string>; body: string };

// The HTTP sender: what the worker calls for each attempt.
export type Sender = { send(req: SendRequest): Promise<AttemptResult>; close(): Promise<void> };

const DNS_TTL_MS = 30_000;
const DNS_CACHE_MAX = 10_000;
// After the kept 64 KiB, up to this much more is read and discarded so the connection stays reusable; beyond it the
// connection is dropped instead (a 10 MB answer costs a new handshake, not 10 MB of reading).
const DRAIN_LIMIT_BYTES = 1024 * 1024;
const POOL_IDLE_MS = 5 * 60_000;

// What a client knows about its one socket: its TLS facts and connect timings, and whether it is still connecting.
type SocketState = { info?: TlsInfo; conn?: ConnectTimings; connecting: boolean };
// `connBefore`: the client's connection when the request was handed to it; a different one after means a new socket.
type Trace = { tls?: SocketState; connBefore?: ConnectTimings };
type PoolEntry = { pool: Pool; lastUsed: number };

// Creates a sender with keep-alive pools per origin and checked address, reused across sends until close().
export function createSender(opts: SenderOptions): Sender {
  const timeoutMs = opts.timeoutMs;
  const maxBytes = opts.maxResponseBytes ?? 65_536;
  const userAgent = opts.userAgent ?? `Hookrelay/${pkg.version}`;
  const baseResolve = opts.resolve ?? systemResolver;
  const dnsCache = new Map<string, { at: number; addresses: Promise<string[]> }>();
  const pools = new Map<string, PoolEntry>();
  // Maps a request's dispatch options to the TLS facts of the connection that carried it.
  const traces = new WeakMap<object, Trace>();
  let lastSweep = Date.now();
  let closed = false;

  // Successful resolutions are cached per hostname for DNS_TTL_MS; concurrent lookups share one query.
  const cachedResolve: Resolver = (hostname) => {
    const now = Date.now();
    const hit = dnsCache.get(hostname);
    if (hit && now - hit.at < DNS_TTL_MS) return hit.addresses;
    if (dnsCache.size >= DNS_CACHE_MAX) dnsCache.delete(dnsCache.keys().next().value!);
    const addresses = baseResolve(hostname);
    dnsCache.set(hostname, { at: now, addresses });
    addresses.then(
      (a) => a.length === 0 && dnsCache.delete(hostname),
      () => dnsCache.delete(hostname),
    );
    return addresses;
  };

  function poolFor(url: URL, address: string): PoolEntry {
    const key = `${url.origin}|${address}`;
    let entry = pools.get(key);
    if (!entry) {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const servername = isIP(host) ? undefined : host.replace(/\.+$/, '');
      const pool = new Pool(url.origin, {
        connections: opts.connectionsPerOrigin ?? 32,
        pipelining: 1,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        // Each client gets its own connector, so the TLS facts it records belong to its (single) current socket.
        factory: (origin: URL, clientOpts: object) => {
          const tls: SocketState = { connecting: false };
          const pinned = pinnedConnector({ address, servername, connectTimeoutMs: timeoutMs, onConnect: (i, t) => ((tls.info = i), (tls.conn = t)) });
          const connect: buildConnector.connector = (target, callback) => {
            tls.connecting = true;
            pinned(target, (...args) => {
              tls.connecting = false;
              callback(...args);
            });
          };
          const client = new Client(origin, { ...(clientOpts as Client.Options), connect });
          const dispatch = client.dispatch.bind(client);
          client.dispatch = (o: Dispatcher.DispatchOptions, h: Dispatcher.DispatchHandler) => {
            const trace = traces.get(o);
            if (trace) {
              trace.tls = tls;
              trace.connBefore = tls.conn;
            }
            return dispatch(o, h);
          };
          return client;
        },
      });
      entry = { pool, lastUsed: Date.now() };
      pools.set(key, entry);
    }
    entry.lastUsed = Date.now();
    return entry;
  }

  function sweepIdlePools() {
    const now = Date.now();
    if (now - lastSweep < 60_000) return;
    lastSweep = now;
    for (const [key, entry] of pools) {
      if (now - entry.lastUsed > Math.max(POOL_IDLE_MS, timeoutMs * 2)) {
        pools.delete(key);
        entry.pool.close().catch(() => {});
      }
    }
  }

  async function send(req: SendRequest): Promise<AttemptResult> {
    const started = performance.now();
    const latency = () => Math.ceil(performance.now() - started); // whole ms, rounded up like the time to the first byte
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let phase: Phase = 'resolve';
    let target = req.url;
    const trace: Trace = {};
    const tlsFacts = () => trace.tls?.info ?? {};
    let dnsMs: number | null = null;
    let ttfbMs: number | null = null;
    // a new connection carried the request when the client's connection changed after it was handed over
    const timings = (): AttemptTimings => {
      const conn = trace.tls?.conn;
      const fresh = conn !== undefined && conn !== trace.connBefore;
      const reused = trace.tls === undefined || trace.tls.connecting ? null : !fresh && conn !== undefined;
      return {
        dnsMs: reused ? null : dnsMs,
        connectMs: fresh ? conn.connectMs : null,
        tlsMs: fresh ? conn.tlsMs : null,
        ttfbMs,
        reused,
      };
    };
    try {
      if (closed) throw new Error('the sender was closed (the worker is shutting down)');
      sweepIdlePools();
      let dnsFailed = false;
      const resolve: Resolver = async (hostname) => {
        const lookupStarted = performance.now();
        try {
          const a = await cachedResolve(hostname);
          if (a.length === 0) dnsFailed = true;
          return a;
        } catch (err) {
          dnsFailed = true;
          throw err;
        } finally {
          dnsMs = tenthDown(performance.now() - lookupStarted);
        }
      };
      const check = await untilAborted(checkUrl(req.url, { resolve, allowPrivate: opts.allowPrivate }), controller.signal);
      if (!check.ok) {
        return {
          ok: false, latencyMs: latency(), failureCause: dnsFailed ? 'dns' : 'blocked_address', failureMessage: check.message,
          timings: { dnsMs, connectMs: null, tlsMs: null, ttfbMs: null, reused: null },
        };
      }
      const address = check.addresses[0];
      target = `${isIP(address) === 6 ? `[${address}]` : address}:${check.url.port || 443}`;
      const { pool } = poolFor(check.url, address);

      const dispatchOpts: Dispatcher.RequestOptions = {
        path: `${check.url.pathname}${check.url.search}`,
        method: 'POST',
        headers: buildHeaders(req.headers, userAgent),
        body: req.body,
        signal: controller.signal,
      };
      traces.set(dispatchOpts, trace);
      phase = 'connect';
      const res = await pool.request(dispatchOpts);
      ttfbMs = tenthUp(performance.now() - started);
      const tls = tlsFacts();
      phase = 'body';
      const responseHeaders = flattenHeaders(res.headers);
      const responseBody = await readCapped(res.body, maxBytes, Number(responseHeaders['content-length']) || undefined);
      const latencyMs = latency();
      // undici frees a connection one macrotask after its response completes; waiting that turn lets the caller's
      // next send reuse this connection instead of opening another one.
      await new Promise((r) => setImmediate(r));
      const result: AttemptResult = {
        ok: res.statusCode >= 200 && res.statusCode < 300,
        status: res.statusCode,
        responseHeaders,
        responseBody,
        latencyMs,
        ...tls,
        timings: timings(), // rounded up, the first byte's time is never past the whole attempt's
      };
      if (!result.ok) Object.assign(result, classifyStatus(res.statusCode, responseHeaders));
      if (res.statusCode === 429 || res.statusCode === 503) result.retryAfterSeconds = parseRetryAfter(responseHeaders['retry-after']);
      return result;
    } catch (err) {
      // Until headers arrive the phase is 'connect'; once the carrying client has a socket, it was waiting for headers.
      if (phase === 'connect' && trace.tls && !trace.tls.connecting) phase = 'headers';
      const failure = classifyError(err, { timedOut: controller.signal.aborted, timeoutMs, phase, target });
      const tls = err instanceof TlsVerifyError ? err.info : tlsFacts();
      return { ok: false, latencyMs: latency(), ...tls, ...failure, timings: timings() };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    send,
    async close() {
      closed = true;
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map((e) => e.pool.close().catch(() => {})));
    },
  };
}


// Lower-cased headers: the caller's, a default user-agent, and always Content-Type: application/json.
function buildHeaders(given: Record<string, string>, userAgent: string): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': userAgent };
  for (const [name, value] of Object.entries(given)) {
    const n = name.toLowerCase();
    if (!TRANSPORT_HEADERS.has(n)) headers[n] = value;
  }
  headers['content-type'] = 'application/json';
  return headers;
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

// Keeps the first `max` bytes (UTF-8 decoded, a split character dropped) and discards the rest as it streams;
// a remainder larger than DRAIN_LIMIT_BYTES ends the read (and the connection) instead.
async function readCapped(body: Dispatcher.ResponseData['body'], max: number, contentLength?: number): Promise<string> {
  const dropEarly = contentLength !== undefined && contentLength - max > DRAIN_LIMIT_BYTES;
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let seen = 0;
  let truncated = false;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (keptBytes < max) {
      const take = chunk.length <= max - keptBytes ? chunk : Buffer.from(chunk.subarray(0, max - keptBytes));
      kept.push(take);
      keptBytes += take.length;
    }
    if (keptBytes >= max && (dropEarly || seen - keptBytes > DRAIN_LIMIT_BYTES)) {
      truncated = true;
      break; // leaving the loop destroys the body and its connection
    }
  }
  return finish(kept, truncated || seen > keptBytes);
}

function finish(kept: Buffer[], truncated: boolean): string {
  return new TextDecoder('utf-8').decode(Buffer.concat(kept), { stream: truncated });
}

// Resolves like `p`, or rejects as soon as `signal` aborts.
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
