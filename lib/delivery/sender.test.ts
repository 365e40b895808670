import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { testCa } from '@/test/ca';
import { startReceiver, type Receiver } from '@/test/receiver';
import { createSender, type Sender } from './sender';
import type { Resolver } from './url-guard';
import pkg from '@/package.json';

const TIMEOUT = 1500;
const ca = testCa();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hookrelay-sender-'));
const open: { close(): Promise<void> }[] = [];
const track = <T extends { close(): Promise<void> }>(x: T) => (open.push(x), x);

afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const receiver = async (opts?: Parameters<typeof startReceiver>[0]) => track(await startReceiver(opts));
const sender = (o: Partial<Parameters<typeof createSender>[0]> = {}): Sender =>
  track(createSender({ timeoutMs: TIMEOUT, allowPrivate: true, ...o }));
const post = (s: Sender, url: string, headers: Record<string, string> = {}) =>
  s.send({ url, headers: { 'webhook-id': 'evt_test', ...headers }, body: '{"id":"evt_test"}' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A certificate for `names` (signed by the test CA, or self-signed), made with the openssl CLI.
function makeCert(name: string, san: string, selfSigned = false): { cert: string; key: string } {
  const f = (x: string) => path.join(tmp, `${name}-${x}`);
  const subj = ['-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`];
  if (selfSigned) {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('key.pem'), '-out', f('cert.pem'), '-days', '2', ...subj], { stdio: 'ignore' });
  } else {
    writeFileSync(f('ext'), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
    execFileSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('key.pem'), '-out', f('csr'), ...subj], { stdio: 'ignore' });
    const caDir = ca.dir;
    execFileSync('openssl', ['x509', '-req', '-in', f('csr'), '-CA', path.join(caDir, 'ca.pem'), '-CAkey', path.join(caDir, 'ca-key.pem'), '-set_serial', String(Date.now()), '-out', f('cert.pem'), '-days', '2', '-extfile', f('ext')], { stdio: 'ignore' });
  }
  return { cert: readFileSync(f('cert.pem'), 'utf8'), key: readFileSync(f('key.pem'), 'utf8') };
}

type Seen = { host?: string; servername?: string | false | null; remotePort?: number };
// A small HTTPS server that counts TLS connections; GET/POST /bytes/N answers with N bytes of chunked body.
async function countingServer(cert = { cert: ca.certPem, key: ca.keyPem }) {
  const seen: Seen[] = [];
  let connections = 0;
  let closed = 0;
  const server = https.createServer(cert, (req, res) => {
    seen.push({ host: req.headers.host, servername: (req.socket as tls.TLSSocket).servername, remotePort: req.socket.remotePort });
    req.resume();
    req.on('end', () => {
      const n = Number(/^\/bytes\/(\d+)/.exec(req.url ?? '')?.[1] ?? 2);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.on('error', () => {});
      res.end(Buffer.alloc(n, 'y'));
    });
  });
  server.on('secureConnection', (socket) => {
    connections++;
    socket.on('close', () => closed++);
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return track({
    port,
    seen,
    get connections() {
      return connections;
    },
    get closed() {
      return closed;
    },
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  });
}

beforeAll(() => {
  expect(process.env.NODE_EXTRA_CA_CERTS, 'run with NODE_EXTRA_CA_CERTS=$PWD/.test-data/ca/ca.pem').toBeTruthy();
});

describe('sender: successful deliveries', () => {
  it('POSTs the body with the headers and records the response and the TLS facts', async () => {
    const r = await receiver();
    r.queue.push({ kind: 'ok', body: '{"received":true}', headers: { 'x-receiver': 'yes' } });
    const res = await post(sender(), r.url, { 'Content-Type': 'application/json', 'webhook-signature': 'v1,abc' });
    expect(res).toMatchObject({ ok: true, status: 200, responseBody: '{"received":true}' });
    expect(res.failureCause).toBeUndefined();
    expect(res.responseHeaders?.['x-receiver']).toBe('yes');
    expect(['TLSv1.3', 'TLSv1.2']).toContain(res.tlsVersion);
    expect(res.peerCertExpiresAt?.getTime()).toBe(new Date(new X509Certificate(ca.certPem).validTo).getTime());
    expect(res.latencyMs).toBeGreaterThanOrEqual(0);
    const [got] = r.requests;
    expect(got).toMatchObject({ method: 'POST', path: '/webhook', body: '{"id":"evt_test"}' });
    expect(got.headers).toMatchObject({ 'content-type': 'application/json', 'webhook-id': 'evt_test', 'webhook-signature': 'v1,abc', 'user-agent': `Hookrelay/${pkg.version}` });
  });

  it('sends Content-Type: application/json even when the caller leaves it out', async () => {
    const r = await receiver();
    await post(sender({ userAgent: 'Custom/1' }), r.url);
    expect(r.requests[0].headers['content-type']).toBe('application/json');
    expect(r.requests[0].headers['user-agent']).toBe('Custom/1');
  });

  it('connects to the checked address, with SNI and the certificate checked for the hostname', async () => {
    const srv = await countingServer(makeCert('hooks.example.test', 'DNS:hooks.example.test'));
    const resolve = vi.fn<Resolver>(async (h) => (h === 'hooks.example.test' ? ['127.0.0.1'] : []));
    const s = sender({ resolve });
    for (let i = 0; i < 3; i++) expect(await post(s, `https://hooks.example.test:${srv.port}/in`)).toMatchObject({ ok: true, status: 200 });
    expect(srv.seen[0]).toMatchObject({ host: `hooks.example.test:${srv.port}`, servername: 'hooks.example.test' });
    expect(resolve).toHaveBeenCalledTimes(1); // cached for ~30 s
  });

  it('times DNS, TCP connect, TLS and the first byte of a new connection, and marks a reused one', async () => {
    const srv = await countingServer(makeCert('timed.example.test', 'DNS:timed.example.test'));
    const resolve = vi.fn<Resolver>(async () => (await sleep(5), ['127.0.0.1']));
    const s = sender({ resolve });
    const first = await post(s, `https://timed.example.test:${srv.port}/bytes/2`);
    expect(first.ok).toBe(true);
    const t = first.timings!;
    expect(t.reused).toBe(false);
    expect(t.dnsMs).toBeGreaterThanOrEqual(4);
    expect(t.connectMs).toBeGreaterThanOrEqual(0);
    expect(t.tlsMs).toBeGreaterThan(0);
    expect(t.ttfbMs).toBeGreaterThanOrEqual(t.dnsMs! + t.connectMs! + t.tlsMs!);
    expect(first.latencyMs + 0.5).toBeGreaterThanOrEqual(t.ttfbMs!);

    const again = await post(s, `https://timed.example.test:${srv.port}/bytes/2`);
    expect(again.timings).toMatchObject({ reused: true, dnsMs: null, connectMs: null, tlsMs: null });
    expect(again.timings!.ttfbMs).toBeGreaterThan(0);
    expect(again.latencyMs + 0.5).toBeGreaterThanOrEqual(again.timings!.ttfbMs!);
    expect(srv.connections).toBe(1);
  });

  it('records only the DNS time of an attempt whose connection is refused', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const res = await post(sender(), `https://127.0.0.1:${port}/x`);
    expect(res).toMatchObject({ ok: false, failureCause: 'connect' });
    expect(res.timings).toMatchObject({ dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null });
  });

  it('reuses one keep-alive connection for 50 sequential sends', async () => {
    const srv = await countingServer();
    const s = sender();
    for (let i = 0; i < 50; i++) expect((await post(s, `https://127.0.0.1:${srv.port}/bytes/2`)).ok).toBe(true);
    expect(srv.seen).toHaveLength(50);
    expect(srv.connections).toBe(1);
    expect(new Set(srv.seen.map((x) => x.remotePort)).size).toBe(1);
  });

  it('drains a response under 1 MiB past the cap (connection kept) and drops a bigger one (connection closed)', async () => {
    const srv = await countingServer();
    const s = sender();
    const mid = await post(s, `https://127.0.0.1:${srv.port}/bytes/${900 * 1024}`);
    expect(mid).toMatchObject({ ok: true, status: 200 });
    expect(mid.responseBody).toHaveLength(65536);
    expect((await post(s, `https://127.0.0.1:${srv.port}/bytes/2`)).ok).toBe(true);
    expect(srv.connections).toBe(1);
    expect(srv.closed).toBe(0);
    const big = await post(s, `https://127.0.0.1:${srv.port}/bytes/${3 * 1024 * 1024}`);
    expect(big).toMatchObject({ ok: true, status: 200 });
    expect(big.responseBody).toHaveLength(65536);
    await expect.poll(() => srv.closed).toBe(1);
    expect((await post(s, `https://127.0.0.1:${srv.port}/bytes/2`)).ok).toBe(true);
  });

  it('keeps 64 KiB of a 10 MB response without buffering the rest', async () => {
    const r = await receiver();
    r.queue.push({ kind: 'large', bytes: 10 * 1024 * 1024 });
    const s = sender();
    const mem = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const base = mem();
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, mem())), 2);
    const res = await post(s, r.url);
    clearInterval(sampler);
    peak = Math.max(peak, mem());
    expect(res).toMatchObject({ ok: true, status: 200 });
    expect(res.responseBody).toHaveLength(65536);
    // Buffering the whole body would cost at least 10 MB; keeping 64 KiB and draining ≤ 1 MiB stays near 2 MB.
    expect(peak - base).toBeLessThan(8 * 1024 * 1024);
  });
});

describe('sender: failures', () => {
  it('times out a receiver that never answers', async () => {
    const r = await receiver();
    r.queue.push({ kind: 'hang' });
    const t0 = Date.now();
    const res = await post(sender(), r.url);
    const took = Date.now() - t0;
    expect(res).toMatchObject({ ok: false, failureCause: 'timeout' });
    expect(res.failureMessage).toMatch(/did not answer within 1500 ms/);
    expect(took).toBeGreaterThanOrEqual(TIMEOUT - 50);
    expect(took).toBeLessThan(TIMEOUT + 1000);
  });

  it('times out a receiver that drips its body slowly, at the whole-attempt limit', async () => {
    const r = await receiver();
    r.queue.push({ kind: 'drip', intervalMs: 100, chunks: 100 });
    const t0 = Date.now();
    const res = await post(sender(), r.url);
    expect(res).toMatchObject({ ok: false, failureCause: 'timeout' });
    expect(res.failureMessage).toMatch(/response body did not finish within 1500 ms/);
    expect(Date.now() - t0).toBeLessThan(TIMEOUT + 1000);
  });

  it('never follows a redirect', async () => {
    const r = await receiver();
    r.queue.push({ kind: 'redirect', location: `${r.url}/elsewhere` });
    const res = await post(sender(), r.url);
    expect(res).toMatchObject({ ok: false, status: 302, failureCause: 'redirect' });
    expect(res.failureMessage).toMatch(/^302: Hookrelay does not follow redirects — register the final URL \(Location: https:\/\/127\.0\.0\.1:\d+\/webhook\/elsewhere\)\.$/);
    await sleep(200);
    expect(r.requests).toHaveLength(1);
  });

  it('reports 410 as http_4xx', async () => {
    const r = await receiver();
    r.queue.push({ kind: 'status', status: 410, body: 'gone' });
    const res = await post(sender(), r.url);
    expect(res).toMatchObject({ ok: false, status: 410, failureCause: 'http_4xx', responseBody: 'gone' });
    expect(res.failureMessage).toMatch(/^The endpoint answered 410 Gone;/);
  });

  it('reports 503 as http_5xx with its Retry-After in seconds', async () => {
    const r = await receiver();
    r.queue.push({ kind: 'status', status: 503, headers: { 'retry-after': '7' } });
    const res = await post(sender(), r.url);
    expect(res).toMatchObject({ ok: false, status: 503, failureCause: 'http_5xx', retryAfterSeconds: 7 });
  });

  it('reads a Retry-After HTTP date on 429', async () => {
    const r = await receiver();
    r.queue.push({ kind: 'status', status: 429, headers: { 'retry-after': new Date(Date.now() + 120_000).toUTCString() } });
    const res = await post(sender(), r.url);
    expect(res).toMatchObject({ status: 429, failureCause: 'http_4xx' });
    expect(res.retryAfterSeconds).toBeGreaterThanOrEqual(118);
    expect(res.retryAfterSeconds).toBeLessThanOrEqual(120);
  });

  it('refuses a receiver that only speaks TLS 1.1', async () => {
    const r = await receiver({ minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
    // Prove the receiver really speaks TLS 1.1 in this Node/OpenSSL build (or that the build cannot at all).
    const spoken = await new Promise<string>((resolve) => {
      const c = tls.connect({ host: '127.0.0.1', port: r.port, minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0', ca: ca.caPem }, () => {
        resolve(c.getProtocol() ?? 'none');
        c.destroy();
      });
      c.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code}`));
    });
    if (spoken !== 'TLSv1.1') expect(spoken).toMatch(/^error ERR_SSL_/); // this OpenSSL build has no TLS 1.1
    else expect(spoken).toBe('TLSv1.1');
    const res = await post(sender(), r.url);
    expect(res).toMatchObject({ ok: false, failureCause: 'tls' });
    if (spoken === 'TLSv1.1') expect(res.failureMessage).toMatch(/only speaks TLS 1\.1 or older; Hookrelay needs TLS 1\.2 or newer/);
    expect(r.requests).toHaveLength(0);
  });

  it('refuses an expired certificate and says when it expired', async () => {
    const r = await receiver({ expiredCert: true });
    const res = await post(sender(), r.url);
    expect(res).toMatchObject({ ok: false, failureCause: 'tls' });
    expect(res.failureMessage).toBe("The endpoint's TLS certificate expired on 2020-02-01; renew it on the receiving server.");
    expect(res.peerCertExpiresAt?.toISOString()).toBe('2020-02-01T00:00:00.000Z');
    expect(r.requests).toHaveLength(0);
  });

  it('refuses a certificate issued for another name', async () => {
    const r = await receiver();
    const res = await post(sender({ resolve: async () => ['127.0.0.1'] }), `https://other.example.test:${r.port}/webhook`);
    expect(res).toMatchObject({ ok: false, failureCause: 'tls' });
    expect(res.failureMessage).toMatch(/not valid for other\.example\.test \(it covers 127\.0\.0\.1, localhost\)/);
    expect(r.requests).toHaveLength(0);
  });

  it('refuses a certificate from an unknown CA', async () => {
    const srv = await countingServer(makeCert('selfsigned', 'IP:127.0.0.1', true));
    const res = await post(sender(), `https://127.0.0.1:${srv.port}/x`);
    expect(res).toMatchObject({ ok: false, failureCause: 'tls' });
    expect(res.failureMessage).toMatch(/self-signed|not signed by a trusted certificate authority/);
    expect(srv.seen).toHaveLength(0);
  });

  it('reports a closed port as connect', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const res = await post(sender(), `https://127.0.0.1:${port}/x`);
    expect(res).toMatchObject({ ok: false, failureCause: 'connect' });
    expect(res.failureMessage).toBe(`Connection refused by 127.0.0.1:${port}; check that the receiver is running and listening on that port.`);
  });

  it('reports a plain-HTTP port as tls', async () => {
    const plain = net.createServer((s) => s.resume().end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
    track({ close: () => new Promise<void>((r) => plain.close(() => r())) });
    const port = (plain.address() as net.AddressInfo).port;
    const res = await post(sender(), `https://127.0.0.1:${port}/x`);
    expect(res).toMatchObject({ ok: false, failureCause: 'tls', failureMessage: `127.0.0.1:${port} did not answer with TLS; check that the port serves HTTPS, not plain HTTP.` });
  });
});

describe('sender: the URL guard at connect time', () => {
  it('refuses a private target when private targets are not allowed, without connecting', async () => {
    const r = await receiver();
    const res = await post(sender({ allowPrivate: false }), r.url);
    expect(res).toMatchObject({ ok: false, failureCause: 'blocked_address' });
    expect(res.failureMessage).toMatch(/^127\.0\.0\.1 is a loopback address/);
    await sleep(100);
    expect(r.requests).toHaveLength(0);
  });

  it('refuses metadata and localhost names even with private targets allowed', async () => {
    const s = sender({ resolve: async () => ['169.254.169.254'] });
    expect(await post(s, 'https://metadata.example.test/x')).toMatchObject({ failureCause: 'blocked_address' });
    expect(await post(s, 'https://localhost:1/x')).toMatchObject({ failureCause: 'blocked_address' });
    expect(await post(s, 'http://127.0.0.1:1/x')).toMatchObject({ failureCause: 'blocked_address' });
  });

  it('reports a name that does not resolve as dns, and does not cache the failure', async () => {
    const resolve = vi.fn<Resolver>(async (h) => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${h}`), { code: 'ENOTFOUND' });
    });
    const s = sender({ resolve });
    const res = await post(s, 'https://nowhere.example.test/x');
    expect(res).toEqual({
      ok: false, latencyMs: expect.any(Number), failureCause: 'dns', failureMessage: expect.stringMatching(/^nowhere\.example\.test does not resolve/),
      timings: { dnsMs: expect.any(Number), connectMs: null, tlsMs: null, ttfbMs: null, reused: null },
    });
    await post(s, 'https://nowhere.example.test/x');
    expect(resolve).toHaveBeenCalledTimes(2);
  });

  it('times out a resolver that hangs', async () => {
    const res = await post(sender({ resolve: () => new Promise(() => {}) }), 'https://slow.example.test/x');
    expect(res).toMatchObject({ ok: false, failureCause: 'timeout' });
  });

  it('returns a result for a malformed URL instead of throwing', async () => {
    expect(await post(sender(), 'not a url')).toMatchObject({ ok: false, failureCause: 'blocked_address' });
  });
});
