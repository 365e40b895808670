import { z } from 'zod';
import { WIRE_FORMATS } from '@/lib/signing';
import { OWN_HEADERS, RESERVED_HEADERS } from '@/lib/delivery/headers';

export const MAX_HEADERS = 20;
// What every custom header value shows until a developer reveals it; sent back unchanged, it keeps the stored value.
export const MASKED_HEADER_VALUE = '••••••';
// A request's headers as an attempt records and shows them: custom header values masked, names kept.
export function maskRequestHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([n, v]) => [n, OWN_HEADERS.has(n.toLowerCase()) ? v : MASKED_HEADER_VALUE]));
}
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/; // RFC 9110 token
const BAD_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f]/; // CR, LF, NUL and other controls (tab is allowed)

// The problems of a set of custom headers, as sentences for the headers field.
export function headerProblems(headers: Record<string, string>): string[] {
  const problems: string[] = [];
  const names = Object.keys(headers);
  if (names.length > MAX_HEADERS) problems.push(`At most ${MAX_HEADERS} custom headers are allowed; this has ${names.length}.`);
  const seen = new Set<string>();
  for (const name of names) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) {
      problems.push(`"${name}" is not a valid header name; use letters, digits and - (like X-Api-Key).`);
    } else if (RESERVED_HEADERS.has(lower)) {
      problems.push(`"${name}" is set by Hookrelay (or is hop-by-hop) and cannot be a custom header; choose another name.`);
    } else if (seen.has(lower)) {
      problems.push(`"${name}" appears twice (header names ignore case); keep one.`);
    }
    seen.add(lower);
    const value = headers[name]!;
    if (BAD_VALUE.test(value)) problems.push(`The value of "${name}" contains a line break or control character; remove it.`);
    if (value.length > 4096) problems.push(`The value of "${name}" is longer than 4096 characters.`);
  }
  return problems;
}

const fields = {
  url: z.string().trim().min(1, 'Enter the URL that should receive webhooks.').max(2048, 'The URL must be at most 2048 characters.'),
  description: z.string().trim().max(500, 'The description must be at most 500 characters.'),
  eventTypes: z
    .array(z.string().trim().min(1, 'Event type names cannot be empty.'), { message: 'Choose the event types to send.' })
    .min(1, 'Choose at least one event type (or all of them).'),
  format: z.enum(WIRE_FORMATS, { message: `Format must be one of ${WIRE_FORMATS.join(', ')}.` }),
  headers: z.record(z.string(), z.string()).superRefine((h, ctx) => {
    for (const message of headerProblems(h)) ctx.addIssue({ code: 'custom', message });
  }),
  rateLimitPerSecond: z
    .number({ message: 'The rate limit must be a whole number of requests per second.' })
    .int('The rate limit must be a whole number of requests per second.')
    .min(1, 'The rate limit must be at least 1 per second (or empty for no limit).')
    .max(10_000, 'The rate limit must be at most 10000 per second.')
    .nullable(),
};

// What a new endpoint needs; `eventTypes: ['*']` subscribes to every type, present and future.
export const endpointInputSchema = z.object({
  url: fields.url,
  description: fields.description.default(''),
  eventTypes: fields.eventTypes,
  format: fields.format.default('standard'),
  headers: fields.headers.default({}),
  rateLimitPerSecond: fields.rateLimitPerSecond.default(null),
});

// A change to an endpoint: any subset of the fields, validated as on create.
export const endpointPatchSchema = z.object(fields).partial();

export type EndpointInput = z.input<typeof endpointInputSchema>;
export type EndpointPatch = z.input<typeof endpointPatchSchema>;
