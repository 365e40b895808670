import { auth } from '@/lib/auth/auth';
import { requireMember, type Member } from '@/lib/auth/require-member';

// The signed-in member for the dashboard's polling routes, or null (the route answers 401) without a session.
export async function sessionMember(): Promise<Member | null> {
  const session = await auth();
  if (!session?.user?.id) return null;
  return requireMember('viewer');
}

// A JSON answer that no cache keeps.
export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

export const unauthorized = () => json({ error: 'Sign in to see deliveries.' }, 401);
