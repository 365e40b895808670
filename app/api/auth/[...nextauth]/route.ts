import type { NextRequest } from 'next/server';
import { handlers } from '@/lib/auth/auth';
import { signInRefusal } from '@/lib/auth/limits';
import { clientAddress } from '@/lib/http/client';

export const { GET } = handlers;

// The credentials callback answers 429 with when to try again while the email or the address is over its failed
// sign-in limit (the same check the sign-in form's action makes, inside authorize); everything else is next-auth's.
export async function POST(req: NextRequest): Promise<Response> {
  if (req.nextUrl.pathname.endsWith('/callback/credentials')) {
    const email = await emailOf(req);
    const refusal = email === undefined ? undefined : signInRefusal(email, clientAddress(req.headers));
    if (refusal) {
      return Response.json(
        { error: { code: 'rate_limited', message: refusal.message } },
        { status: 429, headers: { 'Retry-After': String(refusal.retryAfterSeconds) } },
      );
    }
  }
  return handlers.POST(req);
}

async function emailOf(req: NextRequest): Promise<string | undefined> {
  try {
    if ((req.headers.get('content-type') ?? '').includes('application/json')) {
      const body = (await req.clone().json()) as { email?: unknown };
      return typeof body.email === 'string' ? body.email : undefined;
    }
    const email = (await req.clone().formData()).get('email');
    return typeof email === 'string' ? email : undefined;
  } catch {
    return undefined;
  }
}
