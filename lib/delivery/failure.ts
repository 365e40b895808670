import { STATUS_CODES } from 'node:http';
import { NO_REDIRECTS, recordedAdvice } from './failure-advice';
import { TlsVerifyError } from './pinned-connector';

// Why an attempt failed, as recorded on the attempt and shown in the dashboard.
export type FailureCause = 'dns' | 'connect' | 'tls' | 'timeout' | 'redirect' | 'http_4xx' | 'http_5xx' | 'blocked_address';

// A classified failure: its cause and one line a person can act on.
export type Failure = { failureCause: FailureCause; failureMessage: string };

// Where the attempt was when it failed, to word timeouts precisely.
export type Phase = 'resolve' | 'connect' | 'headers' | 'body';

const CONNECT_CODES: Record<string, (target: string) => string> = {
  ECONNREFUSED: (t) => `Connection refused by ${t}; check that the receiver is running and listening on that port.`,
  ECONNRESET: () => "The endpoint reset the connection before answering; check the receiver's logs and any proxy or firewall in front of it.",
  EPIPE: () => "The endpoint closed the connection while the request was being sent; check the receiver's logs and body size limit.",
  UND_ERR_SOCKET: () => "The endpoint closed the connection before answering; check the receiver's logs.",
  EHOSTUNREACH: (t) => `${t} is unreachable from Hookrelay; check the endpoint's address and that it is reachable from the internet.`,
  ENETUNREACH: (t) => `No network route to ${t}; check the endpoint's address and that it is reachable from the internet.`,
  ETIMEDOUT: (t) => `Connecting to ${t} timed out at the network level; check firewalls and that the server is up.`,
  EADDRNOTAVAIL: (t) => `Cannot connect to ${t} from this machine; check the endpoint's address.`,
};

const OLD_TLS = new Set([
  'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  'ERR_SSL_UNSUPPORTED_PROTOCOL',
  'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
  'ERR_SSL_WRONG_SSL_VERSION',
]);
const NOT_TLS = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST', 'ERR_SSL_RECORD_LENGTH_MISMATCH']);

// Classifies an error thrown while sending (never for HTTP statuses); `timedOut` is true when the attempt's own timer fired.
export function classifyError(err: unknown, ctx: { timedOut: boolean; timeoutMs: number; phase: Phase; target: string }): Failure {
  if (ctx.timedOut) return { failureCause: 'timeout', failureMessage: timeoutMessage(ctx.phase, ctx.timeoutMs) };
  const e = (err ?? {}) as NodeJS.ErrnoException & { cause?: unknown };
  const causeCode = (e.cause as NodeJS.ErrnoException | undefined)?.code;
  const code = e.code && e.code !== 'UND_ERR_SOCKET' ? e.code : (causeCode ?? e.code ?? '');

  if (err instanceof TlsVerifyError) return { failureCause: 'tls', failureMessage: err.message };
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return { failureCause: 'timeout', failureMessage: timeoutMessage('connect', ctx.timeoutMs) };
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return { failureCause: 'timeout', failureMessage: timeoutMessage('headers', ctx.timeoutMs) };
  if (code === 'UND_ERR_BODY_TIMEOUT') return { failureCause: 'timeout', failureMessage: timeoutMessage('body', ctx.timeoutMs) };
  if (OLD_TLS.has(code)) {
    return {
      failureCause: 'tls',
      failureMessage: 'The endpoint only speaks TLS 1.1 or older; Hookrelay needs TLS 1.2 or newer — enable TLS 1.2 or 1.3 on the receiving server.',
    };
  }
  if (NOT_TLS.has(code)) {
    return { failureCause: 'tls', failureMessage: `${ctx.target} did not answer with TLS; check that the port serves HTTPS, not plain HTTP.` };
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return { failureCause: 'tls', failureMessage: `The TLS handshake with ${ctx.target} failed (${code}); check the server's TLS 1.2/1.3 configuration and ciphers.` };
  }
  const connect = CONNECT_CODES[code];
  if (connect) return { failureCause: 'connect', failureMessage: connect(ctx.target) };
  const detail = oneLine(e.message || String(err)) || 'unknown error';
  return { failureCause: 'connect', failureMessage: `Could not deliver to ${ctx.target} (${code || detail}); check that the receiver is up and reachable.` };
}

function timeoutMessage(phase: Phase, ms: number): string {
  const limit = `${ms} ms`;
  switch (phase) {
    case 'resolve':
      return `Resolving the endpoint's hostname took longer than ${limit}; check its DNS servers.`;
    case 'connect':
      return `Could not connect within ${limit}; check that the server is up and that no firewall drops the connection.`;
    case 'headers':
      return `The endpoint did not answer within ${limit}; respond quickly (for example 200 first) and do the work in the background.`;
    case 'body':
      return `The endpoint's response body did not finish within ${limit}; send the whole response promptly.`;
  }
}

// Classifies a completed HTTP response that is not 2xx.
export function classifyStatus(status: number, headers: Record<string, string>): Failure {
  const text = `${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
  if (status >= 300 && status < 400) {
    const where = headers.location ? ` (Location: ${oneLine(headers.location).slice(0, 200)})` : '';
    return { failureCause: 'redirect', failureMessage: `${status}: ${NO_REDIRECTS}${where}.` };
  }
  if (status >= 500) {
    return { failureCause: 'http_5xx', failureMessage: `The endpoint answered ${text}; the receiver failed — check its logs and the response body.` };
  }
  return { failureCause: 'http_4xx', failureMessage: `The endpoint answered ${text}; ${recordedAdvice(status)}.` };
}

// Seconds to wait from a Retry-After value (delta-seconds or an HTTP date); undefined when absent or unreadable.
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
