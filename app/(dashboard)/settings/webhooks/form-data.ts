import { z } from 'zod';
import { checkUrl } from '@/lib/delivery/url-guard';
import { env } from '@/lib/env';
import { UserError } from '@/lib/errors';
import { endpointInputSchema } from '@/lib/webhooks/endpoints';

// Turns the endpoint form's fields into the shape of endpointInputSchema (lib/webhooks/endpoint-input.ts).
export function parseEndpointForm(fd: FormData) {
  const names = fd.getAll('headerName').map(String);
  const values = fd.getAll('headerValue').map(String);
  const headers: Record<string, string> = {};
  names.forEach((raw, i) => {
    const name = raw.trim();
    const value = values[i] ?? '';
    if (!name && !value.trim()) return; // an empty row is no header
    headers[name] = value;
  });
  const eventTypes = fd.getAll('eventTypes').map(String);
  const rate = String(fd.get('rateLimitPerSecond') ?? '').trim();
  return {
    endpointId: String(fd.get('endpointId') ?? ''),
    url: String(fd.get('url') ?? ''),
    description: String(fd.get('description') ?? ''),
    eventTypes: eventTypes.includes('*') ? ['*'] : eventTypes,
    format: String(fd.get('format') ?? 'standard'),
    headers,
    rateLimitPerSecond: rate === '' ? null : Number(rate),
  };
}

// The parsed form fields, untyped until validateEndpointForm has checked them.
export const rawEndpointForm = z.record(z.string(), z.unknown());

// Validates the form; when other fields are wrong it still runs the URL guard, so every problem is shown at once.
export async function validateEndpointForm(raw: Record<string, unknown>): Promise<z.infer<typeof endpointInputSchema>> {
  const parsed = endpointInputSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
  const url = typeof raw.url === 'string' ? raw.url.trim() : '';
  if (!fieldErrors.url && url) {
    const r = await checkUrl(url, { allowPrivate: env().WEBHOOK_ALLOW_PRIVATE_TARGETS });
    if (!r.ok) fieldErrors.url = [r.message];
  }
  throw new UserError('Check the highlighted fields.', fieldErrors);
}
