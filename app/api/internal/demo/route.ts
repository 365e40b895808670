import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { env } from '@/lib/env';
import { createDemoAccount } from '@/lib/demo/account';
import { errorAnswer, json } from '@/app/api/internal/session';

export const dynamic = 'force-dynamic';

const body = z.object({ email: z.string().max(320), password: z.string().max(200) });
const digest = (s: string) => createHash('sha256').update(s).digest();

// `npm run demo` seeds over HTTP once the server is up (PGlite allows one process): this creates the demo account and
// its API key. It exists only while the server runs with HOOKRELAY_DEMO_TOKEN (which only the demo sets), and answers
// only to that token.
export async function POST(req: Request) {
  const token = env().HOOKRELAY_DEMO_TOKEN;
  if (!token) return json({ error: 'Not found.' }, 404);
  const given = (req.headers.get('authorization') ?? '').replace(/^Bearer\s+/i, '');
  if (!timingSafeEqual(digest(given), digest(token))) return json({ error: 'Wrong demo token.' }, 401);
  const parsed = body.safeParse(await req.json().catch(() => null));
  if (!parsed.success) return json({ error: 'Send {"email", "password"}.' }, 400);
  try {
    return json(await createDemoAccount(parsed.data), 201);
  } catch (e) {
    return errorAnswer(e, 'POST /api/internal/demo');
  }
}
