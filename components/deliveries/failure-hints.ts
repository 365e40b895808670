// What a failed attempt means and what to fix, in one line, from its failure cause and HTTP status.

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

// The one-line hint of what to fix for a failed attempt.
export function failureHint(cause: string | null | undefined, status?: number | null, timeoutMs = 30_000): string {
  if (status && status >= 300 && status < 400) {
    return `${status}: Hookrelay does not follow redirects — register the final URL (the Location header shows where it points).`;
  }
  switch (status) {
    case 400:
    case 422:
      return `${status}: your endpoint refused the body — check the response for why, and that it accepts every event type it subscribes to.`;
    case 401:
    case 403:
      return `${status}: your endpoint rejected the signature — check the secret and that you verify the raw body.`;
    case 404:
      return '404: nothing answers at this path — check the endpoint URL and that the route is deployed.';
    case 405:
      return '405: the route does not accept POST — Hookrelay always POSTs; allow POST on this URL.';
    case 408:
      return '408: your endpoint timed out reading the request — check its proxy and body timeouts.';
    case 410:
      return '410 Gone: Hookrelay disabled this endpoint — re-enable it when the receiver is back, or delete it.';
    case 413:
      return '413: the body is larger than your endpoint accepts — raise its request size limit (bodies are up to 256 KiB).';
    case 429:
      return '429: your endpoint is rate limiting Hookrelay — raise the limit or set a rate limit on this webhook (retries honour Retry-After).';
  }
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
      return 'Hookrelay does not follow redirects — register the final URL.';
    default:
      return '';
  }
}
