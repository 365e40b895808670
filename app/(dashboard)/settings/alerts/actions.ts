'use server';

import { z } from 'zod';
import { revalidatePath } from 'next/cache';
import { memberAction } from '@/lib/actions';
import { endAlertWebhookGrace, MAX_ALERT_EMAILS, revealAlertWebhookSecrets, rotateAlertWebhookSecret, saveAlertSettings } from '@/lib/alerts/settings';

const GRACE_CHOICES = ['0', '3600', '86400', '604800'] as const;

// Saves where alerts go: addresses (comma- or newline-separated) and the operational webhook URL (empty removes it).
export const saveAlertSettingsAction = memberAction(
  'alerts.write',
  z.object({
    emails: z.string().max(4000, 'Too much text: list at most 10 addresses.').default(''),
    webhookUrl: z.string().max(4000, 'The URL is too long.').default(''),
  }),
  async ({ emails, webhookUrl }, member) => {
    const list = emails.split(/[\s,;]+/).map((e) => e.trim()).filter(Boolean);
    if (list.length > MAX_ALERT_EMAILS * 2) return { ok: false, error: 'Check the highlighted fields.', fieldErrors: { emails: [`At most ${MAX_ALERT_EMAILS} addresses; use a mailing list for more people.`] } };
    await saveAlertSettings(member, { emails: list, webhookUrl });
    revalidatePath('/settings/alerts');
    return { message: 'Alert destinations saved.' };
  },
);

// Shows the operational webhook's live secrets (audited).
export const revealAlertSecretAction = memberAction('alerts.write', z.object({}).passthrough(), async (_input, member) => {
  const secrets = await revealAlertWebhookSecrets(member);
  return { data: { secrets: secrets.map((s) => ({ secret: s.secret, createdAt: s.createdAt.toISOString(), expiresAt: s.expiresAt?.toISOString() ?? null })) } };
});

// A new secret for the operational webhook; the previous one keeps signing for the chosen grace period (audited).
export const rotateAlertSecretAction = memberAction(
  'alerts.write',
  z.object({ graceSeconds: z.enum(GRACE_CHOICES, { message: 'Choose how long the previous secret keeps working.' }) }).passthrough(),
  async ({ graceSeconds }, member) => {
    const { secret, previousGraceEndsAt } = await rotateAlertWebhookSecret(member, Number(graceSeconds));
    revalidatePath('/settings/alerts');
    return {
      message: previousGraceEndsAt ? 'Secret rotated; the previous secret keeps working until its grace period ends.' : 'Secret rotated; the previous secret no longer works.',
      data: { secret, previousGraceEndsAt: previousGraceEndsAt?.toISOString() ?? null },
    };
  },
);

// Ends the operational webhook's grace period at once.
export const endAlertGraceAction = memberAction('alerts.write', z.object({}).passthrough(), async (_input, member) => {
  const { ended } = await endAlertWebhookGrace(member);
  revalidatePath('/settings/alerts');
  return { message: ended ? 'Grace period ended; only the current secret signs now.' : 'There was no grace period to end.' };
});
