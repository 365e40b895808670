'use server';

import { revalidatePath } from 'next/cache';
import { unstable_update } from '@/lib/auth/auth';
import { requireMember } from '@/lib/auth/require-member';

// Makes another of the user's organizations the active one.
export async function switchOrganizationAction(formData: FormData): Promise<void> {
  const member = await requireMember('viewer');
  const orgId = String(formData.get('orgId') ?? '');
  if (!member.organizations.some((o) => o.orgId === orgId)) return;
  await unstable_update({ orgId });
  revalidatePath('/', 'layout');
}
