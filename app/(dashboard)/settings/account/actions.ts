'use server';

import { z } from 'zod';
import { redirect } from 'next/navigation';
import { memberAction } from '@/lib/actions';
import { changePassword, signOutEverywhere } from '@/lib/auth/account';
import { signIn, signOut } from '@/lib/auth/auth';
import { requireMember } from '@/lib/auth/require-member';

const passwordFields = z.object({ currentPassword: z.string(), newPassword: z.string(), confirmPassword: z.string() });

// Changes the password; every other session ends, and this browser is signed in again with the new password.
// Then a fresh load of the page (a render in this request would still carry the session cookie that just ended).
export const changePasswordAction = memberAction('account.write', passwordFields, async (input, member) => {
  await changePassword(member, input);
  await signIn('credentials', { email: member.email, password: input.newPassword, redirect: false });
  redirect('/settings/account?password=changed');
});

// Ends every session of this account, this one included, then goes to sign-in.
export async function signOutEverywhereAction(): Promise<void> {
  const member = await requireMember();
  await signOutEverywhere(member);
  await signOut({ redirectTo: '/sign-in' });
}
