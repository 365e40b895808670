import { redirect } from 'next/navigation';
import { auth } from '@/lib/auth/auth';
import { CredentialsForm } from '@/components/auth/credentials-form';
import { signInAction } from '@/app/(auth)/actions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sign in · Hookrelay' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if ((await auth())?.user?.id) redirect('/settings/webhooks');
  const { next } = await searchParams;
  return (
    <>
      <h1 className="mb-4 text-xl font-semibold">Sign in</h1>
      <CredentialsForm mode="sign-in" action={signInAction} next={next} />
    </>
  );
}
