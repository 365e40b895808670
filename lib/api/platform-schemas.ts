import { z } from 'zod';
import { brandingInputSchema } from '@/lib/platform/branding';
import { platformEventTypeInputSchema } from '@/lib/platform/event-types';
import { portalSessionInputSchema } from '@/lib/platform/portal';
import { tenantInputSchema } from '@/lib/platform/tenants';

// The shapes of the platform API (/api/v1/platform/*).

const timestamp = z.iso.datetime().describe('An ISO 8601 time in UTC, e.g. 2024-01-15T10:30:45.000Z.');

export const tenantSchema = z.object({
  id: z.string().describe("Hookrelay's organization id of the tenant."),
  externalId: z.string().describe("The platform's customer id: 1–128 of A–Z a–z 0–9 . _ : -"),
  name: z.string(),
  createdAt: timestamp,
});
export const tenantResult = z.object({ tenant: tenantSchema });
export const tenantBody = tenantInputSchema;

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1, 'limit must be 1–200.').max(200, 'limit must be 1–200.').optional().describe('Page size (default 50 tenants, 100 event types; at most 200).'),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page.'),
});

export const platformEventTypeSchema = z.object({
  name: z.string(),
  description: z.string(),
  schema: z.record(z.string(), z.unknown()).describe('JSON Schema of the event data.'),
  sample: z.record(z.string(), z.unknown()),
  deprecated: z.boolean(),
  managed: z.literal(true).describe('Managed by the platform: tenants cannot edit it in the dashboard.'),
});
export const platformEventTypeResult = z.object({ eventType: platformEventTypeSchema });
export const platformEventTypeBody = platformEventTypeInputSchema;

export const portalSessionBody = portalSessionInputSchema;
export const portalSessionResult = z.object({
  url: z.string().describe('{PUBLIC_URL}/portal/{token}: single use, redeemable for 5 minutes.'),
  expiresAt: timestamp.describe('When the link stops being redeemable.'),
});

export const brandingBody = brandingInputSchema;
export const brandingResult = z.object({
  branding: z.object({ productName: z.string(), primaryColor: z.string(), logoUrl: z.string().nullable() }),
});
