import { buildConnector } from 'undici';
import type { PeerCertificate, TLSSocket } from 'node:tls';

// What the sender learned about one TLS connection.
export type TlsInfo = { tlsVersion?: string; peerCertExpiresAt?: Date };

// How long one new connection took: TCP connect, then the TLS handshake (ms, 0.1 ms precision).
export type ConnectTimings = { connectMs: number; tlsMs: number };

// The peer's certificate failed verification (expired, unknown CA, wrong name…); carries what the dashboard shows.
export class TlsVerifyError extends Error {
  constructor(
    message: string,
    public code: string,
    public info: TlsInfo,
  ) {
    super(message);
    this.name = 'TlsVerifyError';
  }
}

// An undici connector that dials `address` (the address the URL guard checked) instead of resolving the URL's host,
// sends SNI and verifies the certificate for `servername` (the URL's hostname; none for IP literals), requires
// TLS 1.2+, and reports each new socket's TLS facts through `onConnect` before undici may write to it.
//
// Verification is Node's own (chain against the system and NODE_EXTRA_CA_CERTS roots, then checkServerIdentity);
// the socket is held back until `socket.authorized` is checked here instead of being destroyed inside Node, so the
// refused certificate can be described ("expired on …", "issued for …"). No data is written to an unauthorized
// socket, and TLS session resumption is off so every connection is fully verified.
export function pinnedConnector(opts: {
  address: string;
  servername: string | undefined;
  connectTimeoutMs: number;
  onConnect: (info: TlsInfo, timings: ConnectTimings) => void;
}): buildConnector.connector {
  const base = buildConnector({
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
    maxCachedSessions: 0,
    timeout: opts.connectTimeoutMs,
  });
  return (target, callback) => {
    const started = performance.now();
    let tcpAt: number | undefined;
    // undici's connector returns the TLS socket it dials: its 'connect' marks the end of TCP, 'secureConnect' of TLS
    const dialing = (base as unknown as (...a: Parameters<buildConnector.connector>) => TLSSocket | undefined)(
      { ...target, hostname: opts.address, servername: opts.servername ?? '' },
      (err, socket) => {
        if (err || !socket) return callback(err ?? new Error('no socket'), null);
        const secureAt = performance.now();
        const tls = socket as TLSSocket;
        const cert = tls.getPeerCertificate();
        const info: TlsInfo = { tlsVersion: tls.getProtocol() ?? undefined, peerCertExpiresAt: certExpiry(cert) };
        if (tls.authorized !== true) {
          const code = String(tls.authorizationError ?? 'UNABLE_TO_VERIFY');
          tls.destroy();
          return callback(new TlsVerifyError(describeCertError(code, cert, opts.servername ?? opts.address), code, info), null);
        }
        const tcp = tcpAt ?? started;
        opts.onConnect(info, { connectMs: tenthDown(tcp - started), tlsMs: tenthDown(secureAt - tcp) });
        callback(null, socket);
      },
    );
    dialing?.once?.('connect', () => (tcpAt = performance.now()));
  };
}

/**
 * An attempt's phases in tenths of a millisecond, rounded down, and the time to the first byte rounded up (sender.ts):
 * so the phases never add up to more than the time to the first byte, nor that to more than the whole attempt.
 */
export const tenthDown = (ms: number) => Math.max(0, Math.floor(ms * 10) / 10);
export const tenthUp = (ms: number) => Math.max(0, Math.ceil(ms * 10) / 10);

function certExpiry(cert: PeerCertificate | undefined): Date | undefined {
  const d = cert?.valid_to ? new Date(cert.valid_to) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}

// One line a person can act on for a certificate Node refused.
function describeCertError(code: string, cert: PeerCertificate | undefined, host: string): string {
  const day = (s?: string) => (s ? new Date(s).toISOString().slice(0, 10) : 'an unknown date');
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return `The endpoint's TLS certificate expired on ${day(cert?.valid_to)}; renew it on the receiving server.`;
    case 'CERT_NOT_YET_VALID':
      return `The endpoint's TLS certificate is not valid until ${day(cert?.valid_from)}; check the server's certificate and clock.`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID': {
      const names = (cert?.subjectaltname ?? '').replace(/(DNS|IP Address):/g, '') || cert?.subject?.CN || 'other names';
      return `The endpoint's TLS certificate is not valid for ${host} (it covers ${names}); install a certificate for ${host}.`;
    }
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return `The endpoint's TLS certificate is self-signed (${code}); use a certificate from a public certificate authority.`;
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return `The endpoint's TLS certificate is not signed by a trusted certificate authority (${code}); serve the full chain from a public CA.`;
    case 'CERT_REVOKED':
      return "The endpoint's TLS certificate has been revoked; install a new certificate.";
    default:
      return `The endpoint's TLS certificate was refused (${code}); check the server's certificate and chain.`;
  }
}
