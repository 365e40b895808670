import { randomBytes } from 'node:crypto';
import { env } from '@/lib/env';

// Who is on the other end of a request, from its headers, for limits per client and the Secure cookie flag.
//
// Next's route handlers and server actions see headers only, never the socket, and `next start` keeps any
// X-Forwarded-For a client sends. So the server process copies each request's socket address and TLS state into
// a header whose name is random per process (installPeerHeaders, called by server.ts): a client cannot
// forge it. With TRUST_PROXY=true the proxy's X-Forwarded-For / X-Forwarded-Proto are believed instead.

type Headerish = Pick<Headers, 'get'>;
const shared = globalThis as unknown as { __hookrelayPeerHeader?: string };

// The per-process name of the header carrying the socket's address and TLS state ("1.2.3.4 https").
export function peerHeaderName(): string {
  return (shared.__hookrelayPeerHeader ??= `x-hookrelay-peer-${randomBytes(8).toString('hex')}`);
}

function peer(headers: Headerish): { address?: string; https: boolean } {
  const [address, scheme] = (headers.get(peerHeaderName()) ?? '').split(' ');
  return { address: address || undefined, https: scheme === 'https' };
}

// The client's IP address: the left-most X-Forwarded-For entry with TRUST_PROXY=true, else the socket's.
// "unknown" when neither is known (a process without the peer hook, and no trusted proxy).
export function clientAddress(headers: Headerish, trustProxy = env().TRUST_PROXY): string {
  if (trustProxy) {
    const forwarded = headers.get('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return normalize(forwarded);
  }
  const address = peer(headers).address;
  return address ? normalize(address) : 'unknown';
}

// Whether the client reached us over HTTPS: X-Forwarded-Proto with TRUST_PROXY=true, else the socket's TLS.
export function isHttpsRequest(headers: Headerish, trustProxy = env().TRUST_PROXY): boolean {
  if (trustProxy) {
    const proto = headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
    if (proto) return proto === 'https';
  }
  return peer(headers).https;
}

// "::ffff:1.2.3.4" is 1.2.3.4.
function normalize(address: string): string {
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1').toLowerCase();
}
