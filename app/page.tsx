import { redirect } from 'next/navigation';
import { currentMember } from '@/lib/auth/require-member';

export const dynamic = 'force-dynamic';

// `/` sends members (and portal visitors) to Settings → Webhooks and everyone else to sign-in.
export default async function Home() {
  const member = await currentMember();
  redirect(member ? '/settings/webhooks' : '/sign-in');
}
