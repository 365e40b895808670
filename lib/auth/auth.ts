import NextAuth, { type DefaultSession } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { env } from '../env';
import { verifyCredentials } from './users';
import { listOrganizationsForUser } from '../webhooks/members';

declare module 'next-auth' {
  interface Session {
    user: { id: string; email: string } & DefaultSession['user'];
    orgId: string;
  }
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
      async authorize(c) {
        if (typeof c?.email !== 'string' || typeof c?.password !== 'string') return null;
        return verifyCredentials(c.email, c.password);
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user?.id) {
        token.uid = user.id;
        token.orgId = (await listOrganizationsForUser(user.id))[0]?.orgId;
      }
      return token;
    },
    session({ session, token }) {
      session.user.id = token.uid as string;
      session.orgId = token.orgId as string;
      return session;
    },
  },
}));
