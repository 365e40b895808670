import { redirect } from 'next/navigation';
import { auth } from '@/lib/auth/auth';

export const dynamic = 'force-dynamic';

// `/` sends members to Settings → Webhooks and everyone else to sign-in.
export default async function Home() {
  const session = await auth();
  redirect(session?.user?.id ? '/settings/webhooks' : '/sign-in');
}
