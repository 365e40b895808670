import { notFound } from 'next/navigation';
import { requireMember } from '@/lib/auth/require-member';
import { Card } from '@/components/ui/card';
import { SubmitButton } from '@/components/ui/button';
import { PasswordForm } from '@/components/account/password-form';
import { changePasswordAction, signOutEverywhereAction } from './actions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Account · Hookrelay' };

// Settings → Account: the signed-in person's password and sessions (not the organization's settings).
export default async function AccountPage({ searchParams }: { searchParams: Promise<{ password?: string }> }) {
  const member = await requireMember();
  if (member.portal) notFound(); // a portal visitor's password and sessions are the platform's
  const changed = (await searchParams).password === 'changed';
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">Account</h1>
        <p className="text-sm text-slate-600">Signed in as <span className="font-medium">{member.email}</span>.</p>
      </header>
      {changed ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Password changed. Every other session was signed out; this one stays signed in.
        </p>
      ) : null}
      <Card title="Password">
        <p className="mb-4 text-sm text-slate-600">Changing your password signs you out on every other browser and device.</p>
        <PasswordForm action={changePasswordAction} />
      </Card>
      <Card title="Sessions">
        <div className="flex flex-wrap items-center justify-between gap-4">
          <p className="max-w-xl text-sm text-slate-600">
            Lost a laptop or signed in on a shared computer? Sign out everywhere ends every session of your account, this one included.
          </p>
          <form action={signOutEverywhereAction}>
            <SubmitButton variant="danger" pendingText="Signing out…">Sign out everywhere</SubmitButton>
          </form>
        </div>
      </Card>
    </div>
  );
}
