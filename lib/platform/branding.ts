import { z } from 'zod';
import { getDb } from '@/lib/db';
import { platformBranding } from '@/db/schema';
import { assertCan, type Actor } from '@/lib/auth/permissions';
import { UserError } from '@/lib/errors';

/** How portal pages present themselves. */
export type Branding = { productName: string; primaryColor: string; logoUrl: string | null };

export const DEFAULT_BRANDING: Branding = { productName: 'Hookrelay', primaryColor: '#4f46e5', logoUrl: null };

export const brandingInputSchema = z.strictObject({
  productName: z.string({ message: 'productName must be a string.' }).trim().min(1, 'productName must not be empty.').max(100, 'productName must be at most 100 characters.'),
  primaryColor: z.string({ message: 'primaryColor must be a string.' }).regex(/^#[0-9a-fA-F]{6}$/, 'primaryColor must be a colour like #4f46e5.').transform((c) => c.toLowerCase()),
  logoUrl: z.url({ protocol: /^https$/, message: 'logoUrl must be an https:// URL of an image.' }).max(2000, 'logoUrl must be at most 2000 characters.').nullable().optional(),
});

// Sets the platform's name, colour and logo for portal pages.
export async function setBranding(actor: Actor, input: unknown): Promise<Branding> {
  assertCan(actor, 'platform.write');
  const r = brandingInputSchema.safeParse(input);
  if (!r.success) throw new UserError('Check the highlighted fields.', z.flattenError(r.error).fieldErrors as Record<string, string[]>);
  const values = { productName: r.data.productName, primaryColor: r.data.primaryColor, logoUrl: r.data.logoUrl ?? null };
  const [row] = await (await getDb())
    .insert(platformBranding)
    .values({ id: 'platform', ...values })
    .onConflictDoUpdate({ target: platformBranding.id, set: { ...values, updatedAt: new Date() } })
    .returning();
  return { productName: row!.productName, primaryColor: row!.primaryColor, logoUrl: row!.logoUrl };
}

// The platform's branding, or Hookrelay's own when none is set.
export async function getBranding(): Promise<Branding> {
  const [row] = await (await getDb()).select().from(platformBranding).limit(1);
  return row ? { productName: row.productName, primaryColor: row.primaryColor, logoUrl: row.logoUrl } : DEFAULT_BRANDING;
}
