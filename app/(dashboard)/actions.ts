'use server';

import { cookies, headers } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { requireMember } from '@/lib/auth/require-member';
import { ACTIVE_ORG_COOKIE, activeOrgCookieOptions } from '@/lib/auth/active-org';
import { isHttpsRequest } from '@/lib/http/client';

// Makes another of the user's organizations the active one (membership is checked again on every request).
export async function switchOrganizationAction(formData: FormData): Promise<void> {
  const member = await requireMember();
  const orgId = String(formData.get('orgId') ?? '');
  if (!member.organizations.some((o) => o.orgId === orgId)) return;
  (await cookies()).set(ACTIVE_ORG_COOKIE, orgId, activeOrgCookieOptions(isHttpsRequest(await headers())));
  revalidatePath('/', 'layout');
  // The page open now may belong to the old organization: start over on its webhooks.
  redirect('/settings/webhooks');
}
