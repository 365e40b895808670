import { SIGNATURE_HEADERS } from '@/lib/signing';

// The one rule for the header names of a request Hookrelay sends. Before, four places each had their own list: the
// endpoint form refused 17 names, the attempt builder dropped 11, the sender dropped 7 and Check endpoint reused the
// form's. They are one union now, because a custom header may never override a header the sender sets (the
// signatures, content type, user agent) nor one the connection owns (hop-by-hop, framing): a name dropped at send
// time is refused in the form instead of being accepted and silently never sent.

// Headers the HTTP connection owns: the host, the body's framing and the hop-by-hop set (RFC 9110 §7.6.1; undici
// refuses some of them from a caller). The sender drops them from whatever it is given.
export const TRANSPORT_HEADERS: ReadonlySet<string> = new Set([
  'host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect',
  'te', 'trailer', 'proxy-authenticate', 'proxy-authorization',
]);

// Headers of a request that are Hookrelay's own (signatures, content type, user agent, host, length): an attempt's
// record shows their values. Every other header of a request is a custom header, whose value is a secret.
export const OWN_HEADERS: ReadonlySet<string> = new Set([...SIGNATURE_HEADERS, 'content-type', 'content-length', 'user-agent', 'host']);

// Names a custom header may not have: Hookrelay's own and the connection's.
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([...OWN_HEADERS, ...TRANSPORT_HEADERS]);

// An endpoint's custom headers as they are sent: reserved names dropped (stored before the form refused them).
export function sendableCustomHeaders(headers: Record<string, unknown> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (!RESERVED_HEADERS.has(k.toLowerCase())) out[k] = String(v);
  return out;
}
