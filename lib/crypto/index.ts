import { env } from '@/lib/env';
import { seal, open } from './seal';

export { seal, open, openLegacy, isSealed } from './seal';

// What each kind of sealed value is bound to (its associated data): a value moved to another row does not open.
export const sealContext = {
  endpointSecret: (endpointId: string) => `endpoint-secret:${endpointId}`,
  endpointHeader: (endpointId: string, headerName: string) => `endpoint-header:${endpointId}:${headerName}`,
};

// Seals with the process's WEBHOOK_ENCRYPTION_KEY, bound to `context` (see sealContext).
export const sealSecret = (plaintext: string, context: string) => seal(plaintext, env().WEBHOOK_ENCRYPTION_KEY, context);
// Opens with the process's WEBHOOK_ENCRYPTION_KEY; throws unless it was sealed for this same `context`.
export const openSecret = (sealed: string, context: string) => open(sealed, env().WEBHOOK_ENCRYPTION_KEY, context);

// Seals each custom header value, bound to its endpoint and header name; names stay readable, in their order.
export function sealHeaders(endpointId: string, headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([n, v]) => [n, sealSecret(v, sealContext.endpointHeader(endpointId, n))]));
}

// Opens stored custom header values; a value that does not open (another key, moved, tampered) is left out.
export function openHeaders(endpointId: string, stored: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [n, v] of Object.entries(stored)) {
    try {
      out[n] = openSecret(v, sealContext.endpointHeader(endpointId, n));
    } catch {
      // not sent: a header the receiver may rely on is missing, which its answer will show
    }
  }
  return out;
}
