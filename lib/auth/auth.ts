import NextAuth, { AuthError, CredentialsSignin, type DefaultSession } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { env } from '@/lib/env';
import { UserError } from '@/lib/errors';
import { sessionIsCurrent } from './account';
import { signInWithLimits } from './users';
import type { Refusal } from './limits';
import { clientAddress } from '@/lib/http/client';
import { listOrganizationsForUser } from '@/lib/orgs/members';

declare module 'next-auth' {
  interface Session {
    user: { id: string; email: string } & DefaultSession['user'];
    orgId: string;
  }
}

// A sign-in refused by a limit: the form shows `refusal.message`; the callback redirects with code=rate_limited.
export class SignInLimitedError extends CredentialsSignin {
  code = 'rate_limited';
  constructor(public refusal: Refusal) {
    super(refusal.message);
  }
}

// A refused sign-in as the error its form shows (then answered by lib/errors.ts like any other): a limit's message, or
// one message for an unknown email and a wrong password. After sign-up the account exists: a limit's message says so,
// and any other refusal is left as it is (logged as our failure). Anything else is left as it is.
export function asSignInError(e: unknown, after: 'sign-in' | 'sign-up' = 'sign-in'): unknown {
  if (e instanceof SignInLimitedError) return new UserError(`${after === 'sign-up' ? 'Your account was created. ' : ''}${e.refusal.message}`);
  if (e instanceof AuthError && after === 'sign-in') return new UserError('Wrong email or password.');
  return e;
}

// next-auth v5: Credentials sign-in, JWT sessions that carry the active organization.
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  // Behind a TLS proxy the app sees http; PUBLIC_URL says what the browser sees.
  useSecureCookies: env().PUBLIC_URL.startsWith('https://'),
  session: { strategy: 'jwt', maxAge: 30 * 24 * 3600 },
  pages: { signIn: '/sign-in' },
  providers: [
    Credentials({
      credentials: { email: { label: 'Email' }, password: { label: 'Password', type: 'password' } },
      async authorize(c, request) {
        if (typeof c?.email !== 'string' || typeof c?.password !== 'string') return null;
        const r = await signInWithLimits(c.email, c.password, clientAddress(request.headers));
        if (r.ok) return r.user;
        if (r.refusal) throw new SignInLimitedError(r.refusal);
        return null;
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user?.id) {
        token.uid = user.id;
        token.orgId = (await listOrganizationsForUser(user.id))[0]?.orgId;
        token.signedInAt = Date.now();
        return token;
      }
      // A password change or "Sign out everywhere" ends every session signed in before it (null ends this one).
      const signedInAt = typeof token.signedInAt === 'number' ? token.signedInAt : (token.iat ?? 0) * 1000;
      if (typeof token.uid === 'string' && !(await sessionIsCurrent(token.uid, signedInAt))) return null;
      return token;
    },
    session({ session, token }) {
      session.user.id = token.uid as string;
      session.orgId = token.orgId as string;
      return session;
    },
  },
}));
