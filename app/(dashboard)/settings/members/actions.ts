'use server';

import { z } from 'zod';
import { revalidatePath } from 'next/cache';
import { memberAction } from '@/lib/actions';
import { addMember, changeRole, memberInputSchema, removeMember, roleInputSchema } from '@/lib/orgs/members';

const PAGE = '/settings/members';
const userId = z.string().min(1, 'Missing member.');

// Adds someone who has signed up, by email, with a role (admin+; only an owner grants owner).
export const addMemberAction = memberAction('members.write', memberInputSchema, async ({ email, role }, member) => {
  const added = await addMember(member, email, role);
  revalidatePath(PAGE);
  return { message: `${added.email} added as ${added.role}.` };
});

// Changes a member's role; the organization always keeps an owner.
export const changeRoleAction = memberAction('members.write', roleInputSchema.extend({ userId }), async ({ userId: id, role }, member) => {
  await changeRole(member, id, role);
  revalidatePath('/', 'layout');
  return { message: 'Role saved.' };
});

// Removes a member; never the last owner.
export const removeMemberAction = memberAction('members.write', z.object({ userId }), async ({ userId: id }, member) => {
  await removeMember(member, id);
  revalidatePath('/', 'layout');
  return { message: 'Member removed.' };
});
