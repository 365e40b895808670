import { currentMember, type Member } from '@/lib/auth/require-member';
import { translateError } from '@/lib/errors';

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

// An error as these routes answer it, through the one translator (lib/errors.ts): `{ error, fieldErrors? }` with its status.
export function errorAnswer(e: unknown, where: string): Response {
  const t = translateError(e, 'internal', where);
  const fieldErrors = t.fieldErrors && Object.keys(t.fieldErrors).length ? { fieldErrors: t.fieldErrors } : {};
  return json({ error: t.message, ...fieldErrors }, t.status);
}
