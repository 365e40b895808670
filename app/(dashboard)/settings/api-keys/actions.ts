'use server';

import { z } from 'zod';
import { revalidatePath } from 'next/cache';
import { memberAction } from '@/lib/actions';
import { apiKeyInputSchema, createApiKey, revokeApiKey } from '@/lib/api/keys';

const PAGE = '/settings/api-keys';

// Creates a key (admin+, never above the member's role). The answer carries the key itself: the only time it is shown.
export const createApiKeyAction = memberAction('api-keys.write', apiKeyInputSchema, async (input, member) => {
  const { key, apiKey } = await createApiKey(member, input);
  revalidatePath(PAGE);
  return { data: { key, name: apiKey.name, role: apiKey.role } };
});

// Revokes a key at once; requests with it are refused from then on.
export const revokeApiKeyAction = memberAction('api-keys.write', z.object({ id: z.string().min(1, 'Missing key.') }), async ({ id }, member) => {
  await revokeApiKey(member, id);
  revalidatePath(PAGE);
  return { message: 'API key revoked.' };
});
