// The cookie naming the organization a user chose to work in; only honoured while they are a member of it.
export const ACTIVE_ORG_COOKIE = 'hookrelay-org';

// How the cookie is set: HTTP-only, for a year, and Secure when the request came over HTTPS (TRUST_PROXY decides
// whether X-Forwarded-Proto says so).
export function activeOrgCookieOptions(https: boolean) {
  return { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 365 * 24 * 3600, secure: https } as const;
}
