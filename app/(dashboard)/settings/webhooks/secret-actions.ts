'use server';

import { z } from 'zod';
import { revalidatePath } from 'next/cache';
import { memberAction } from '@/lib/actions';
import { endGracePeriod, revealSecrets, rotateSecret } from '@/lib/webhooks/secrets';

const endpointId = z.string().min(1, 'Missing endpoint.');
const GRACE_CHOICES = ['0', '3600', '86400', '604800'] as const;

// Shows an endpoint's live secrets in full (audited); the only answer besides rotation that carries a secret.
export const revealSecretsAction = memberAction('secrets.reveal', z.object({ endpointId }), async ({ endpointId: id }, member) => {
  const secrets = await revealSecrets(member, id);
  return {
    data: {
      secrets: secrets.map((s) => ({ secret: s.secret, createdAt: s.createdAt.toISOString(), expiresAt: s.expiresAt?.toISOString() ?? null })),
    },
  };
});

// Issues a new secret; the previous one keeps signing for the chosen grace period.
export const rotateSecretAction = memberAction(
  'secrets.rotate',
  z.object({ endpointId, graceSeconds: z.enum(GRACE_CHOICES, { message: 'Choose how long the previous secret keeps working.' }) }),
  async ({ endpointId: id, graceSeconds }, member) => {
    const { secret, previousGraceEndsAt } = await rotateSecret(member, id, Number(graceSeconds));
    revalidatePath(`/settings/webhooks/${id}`, 'layout');
    return {
      message: previousGraceEndsAt ? 'Secret rotated; the previous secret keeps working until its grace period ends.' : 'Secret rotated; the previous secret no longer works.',
      data: { secret, previousGraceEndsAt: previousGraceEndsAt?.toISOString() ?? null },
    };
  },
);

// Ends the grace period at once: only the current secret signs from now on.
export const endGracePeriodAction = memberAction('secrets.rotate', z.object({ endpointId }), async ({ endpointId: id }, member) => {
  const { ended } = await endGracePeriod(member, id);
  revalidatePath(`/settings/webhooks/${id}`, 'layout');
  return { message: ended ? 'Grace period ended; only the current secret signs now.' : 'There was no grace period to end.' };
});
