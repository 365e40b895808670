'use server';

import { cookies } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { requireMember } from '@/lib/auth/require-member';
import { ACTIVE_ORG_COOKIE } from '@/lib/auth/active-org';

// Makes another of the user's organizations the active one (membership is checked again on every request).
export async function switchOrganizationAction(formData: FormData): Promise<void> {
  const member = await requireMember('viewer');
  const orgId = String(formData.get('orgId') ?? '');
  if (!member.organizations.some((o) => o.orgId === orgId)) return;
  (await cookies()).set(ACTIVE_ORG_COOKIE, orgId, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 365 * 24 * 3600 });
  revalidatePath('/', 'layout');
  // The page open now may belong to the old organization: start over on its webhooks.
  redirect('/settings/webhooks');
}
