import { NextResponse, type NextRequest } from 'next/server';
import { embedOriginsFrom, frameAncestors, PORTAL_COOKIE } from './lib/platform/embed';

// Every page says who may frame it: an embedded portal session's pages the HOOKRELAY_EMBED_ORIGINS, others nobody.
// /portal/{token} sets its own (it is the iframe's first page, before the cookie exists).
export function proxy(request: NextRequest) {
  const response = NextResponse.next();
  if (request.nextUrl.pathname.startsWith('/portal/')) return response;
  const embedded = request.cookies.get(PORTAL_COOKIE)?.value.startsWith('e.') ?? false;
  response.headers.set('content-security-policy', frameAncestors(embedded, embedOriginsFrom(process.env.HOOKRELAY_EMBED_ORIGINS)));
  if (!embedded) response.headers.set('x-frame-options', 'DENY');
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
