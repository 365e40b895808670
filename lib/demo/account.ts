import { signUpUser } from '@/lib/auth/users';
import { createApiKey } from '@/lib/api/keys';

// The demo's account: a user who owns a fresh organization (with the sample event types) and an admin API key that
// the demo script publishes with. Used by `npm run demo` only, through its token-guarded route.
export async function createDemoAccount(input: { email: string; password: string }): Promise<{ orgId: string; key: string }> {
  const { userId, orgId } = await signUpUser(input);
  const { key } = await createApiKey(
    { orgId, id: userId, label: input.email, role: 'owner', kind: 'user' },
    { name: 'Demo publisher', role: 'admin' },
  );
  return { orgId, key };
}
