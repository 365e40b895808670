'use server';

import { z } from 'zod';
import { unstable_rethrow } from 'next/navigation';
import { headers } from 'next/headers';
import { asSignInError, signIn, signOut } from '@/lib/auth/auth';
import { signUpUser } from '@/lib/auth/users';
import { clientAddress } from '@/lib/http/client';
import { actionError, type ActionState } from '@/lib/actions';

const AFTER_SIGN_IN = '/settings/webhooks';

// Creates the account and its organization, then signs the new user in.
export async function signUpAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const email = String(formData.get('email') ?? '');
  const password = String(formData.get('password') ?? '');
  try {
    await signUpUser({ email, password }, { ip: clientAddress(await headers()) });
    await signIn('credentials', { email, password, redirectTo: AFTER_SIGN_IN });
    return { ok: true };
  } catch (e) {
    unstable_rethrow(e);
    return { ...actionError(asSignInError(e, 'sign-up'), 'sign-in', 'sign-up'), data: { email } };
  }
}

const signInSchema = z.object({ email: z.string().trim().min(1, 'Enter your email.'), password: z.string().min(1, 'Enter your password.') });

// Signs in with email and password; one message for an unknown email and a wrong password.
export async function signInAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const parsed = signInSchema.safeParse(Object.fromEntries(formData));
  const email = String(formData.get('email') ?? '');
  if (!parsed.success) return { ok: false, error: 'Check the highlighted fields.', fieldErrors: z.flattenError(parsed.error).fieldErrors, data: { email } };
  try {
    await signIn('credentials', { ...parsed.data, redirectTo: safeNext(formData.get('next')) });
    return { ok: true };
  } catch (e) {
    unstable_rethrow(e);
    return { ...actionError(asSignInError(e), 'sign-in', 'sign-in'), data: { email } };
  }
}

// Ends the session.
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/sign-in' });
}

function safeNext(v: FormDataEntryValue | null): string {
  const s = typeof v === 'string' ? v : '';
  return s.startsWith('/') && !s.startsWith('//') ? s : AFTER_SIGN_IN;
}
