import { redirect } from 'next/navigation';
import { auth } from '@/lib/auth/auth';
import { SIGN_UP_CLOSED, signUpOpen } from '@/lib/auth/users';
import { CredentialsForm } from '@/components/auth/credentials-form';
import { signUpAction } from '@/app/(auth)/actions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sign up · Hookrelay' };

export default async function SignUpPage() {
  if ((await auth())?.user?.id) redirect('/settings/webhooks');
  if (!signUpOpen()) {
    return (
      <>
        <h1 className="mb-1 text-xl font-semibold">Sign-up is closed</h1>
        <p className="text-sm text-slate-600">{SIGN_UP_CLOSED}</p>
      </>
    );
  }
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Create your account</h1>
      <p className="mb-4 text-sm text-slate-600">You get your own organization, with you as its owner.</p>
      <CredentialsForm mode="sign-up" action={signUpAction} />
    </>
  );
}
