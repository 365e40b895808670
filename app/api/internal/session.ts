import { currentMember, type Member } from '@/lib/auth/require-member';

// The signed-in member (or portal visitor) for the dashboard's polling routes, or null (the route answers 401) without a live session.
export async function sessionMember(): Promise<Member | null> {
  const member = await currentMember();
  return member === 'ended' ? null : member;
}

// A JSON answer that no cache keeps.
export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

export const unauthorized = () => json({ error: 'Sign in to see deliveries.' }, 401);
