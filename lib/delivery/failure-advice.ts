// What a failed attempt means and what to fix: the one table from an HTTP status to advice, read by the sender (the
// end of the failureMessage an attempt records) and by the dashboard (the hint beside an attempt). No imports, so
// client components can render it.

const CAUSE_LABEL: Record<string, string> = {
  dns: 'DNS lookup failed',
  connect: 'Connection failed',
  tls: 'TLS failed',
  timeout: 'Timed out',
  redirect: 'Redirected',
  http_4xx: 'Rejected (4xx)',
  http_5xx: 'Server error (5xx)',
  blocked_address: 'Blocked address',
};

// A short name for a failure cause ("Timed out").
export function causeLabel(cause: string | null | undefined): string {
  return cause ? (CAUSE_LABEL[cause] ?? cause) : '';
}

export const NO_REDIRECTS = 'Hookrelay does not follow redirects — register the final URL';

// Per 4xx status: `recorded` ends the attempt's failureMessage ("The endpoint answered 404 Not Found; …"), written
// to the receiver's operator; `shown` is the dashboard's hint after "404: ", written to the endpoint's owner.
type Advice = { recorded?: string; shown?: string };
const REFUSED_BODY = 'your endpoint refused the body — check the response for why, and that it accepts every event type it subscribes to.';
const BAD_SIGNATURE = 'your endpoint rejected the signature — check the secret and that you verify the raw body.';
const STATUS_ADVICE: Record<number, Advice> = {
  400: { recorded: 'the receiver rejected the payload — check the response body', shown: REFUSED_BODY },
  401: { recorded: 'check that the receiver verifies signatures with the current signing secret', shown: BAD_SIGNATURE },
  403: { recorded: 'check that the receiver verifies signatures with the current signing secret and allows Hookrelay', shown: BAD_SIGNATURE },
  404: { recorded: 'check the URL path and that the receiver route exists', shown: 'nothing answers at this path — check the endpoint URL and that the route is deployed.' },
  405: { recorded: 'make the receiver accept POST at this URL', shown: 'the route does not accept POST — Hookrelay always POSTs; allow POST on this URL.' },
  408: { shown: 'your endpoint timed out reading the request — check its proxy and body timeouts.' },
  410: { recorded: 'the receiver says this endpoint is gone', shown: 'Hookrelay disabled this endpoint — re-enable it when the receiver is back, or delete it.' },
  413: {
    recorded: "raise the receiver's request body size limit",
    shown: 'the body is larger than your endpoint accepts — raise its request size limit (bodies are up to 256 KiB).',
  },
  415: { recorded: 'make the receiver accept Content-Type: application/json' },
  422: { shown: REFUSED_BODY },
  429: {
    recorded: 'the receiver is rate limiting; Hookrelay will retry later',
    shown: 'your endpoint is rate limiting Hookrelay — raise the limit or set a rate limit on this webhook (retries honour Retry-After).',
  },
};

// What the attempt's failureMessage says to do about a 4xx answer.
export function recordedAdvice(status: number): string {
  return STATUS_ADVICE[status]?.recorded ?? 'the receiver rejected the delivery — check the response body';
}

// The one-line hint of what to fix for a failed attempt.
export function failureHint(cause: string | null | undefined, status?: number | null, timeoutMs = 30_000): string {
  if (status && status >= 300 && status < 400) return `${status}: ${NO_REDIRECTS} (the Location header shows where it points).`;
  const shown = status ? STATUS_ADVICE[status]?.shown : undefined;
  if (shown) return `${status === 410 ? '410 Gone' : status}: ${shown}`;
  if (status && status >= 500) {
    return `${status}: your endpoint failed while handling the event — check its logs and its response below.`;
  }
  if (status && status >= 400) return `${status}: your endpoint refused the request — the response body may say why.`;
  switch (cause) {
    case 'timeout':
      return `No answer within ${Math.round(timeoutMs / 1000)} s — answer 2xx at once and do the work in a background job.`;
    case 'dns':
      return "The host name does not resolve — check the URL's host and its DNS records.";
    case 'connect':
      return 'Could not connect — check that the server is up, listening on that port, and reachable from the internet.';
    case 'tls':
      return 'The TLS handshake failed — serve a valid certificate from a public CA, with its full chain, over TLS 1.2 or newer.';
    case 'blocked_address':
      return 'The URL resolves to a private, loopback or reserved address, which Hookrelay never sends to — use a public address.';
    case 'redirect':
      return `${NO_REDIRECTS}.`;
    default:
      return '';
  }
}
