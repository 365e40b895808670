'use client';

import { SubmitButton } from '@/components/ui/button';
import { Field, FormMessage, inputClass, Input } from '@/components/ui/field';
import { useActionForm, type FormAction } from '@/components/ui/use-action-form';

// The destinations form of Settings → Alerts: email addresses and the operational webhook URL.
export function AlertSettingsForm({ action, emails, webhookUrl, emailEnabled }: { action: FormAction; emails: string[]; webhookUrl: string; emailEnabled: boolean }) {
  const { state, formAction, onSubmit, pending } = useActionForm(action);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-4" aria-label="Alert destinations">
      <Field id="alert-emails" label="Email addresses" errors={errors.emails}
        hint={emailEnabled ? 'Up to 10 addresses, one per line or separated by commas.' : 'Saved, but no email is sent until the operator sets SMTP_URL.'}>
        <textarea id="alert-emails" name="emails" rows={3} defaultValue={emails.join('\n')} className={inputClass}
          aria-invalid={errors.emails ? true : undefined} placeholder="ops@example.com" maxLength={4000} />
      </Field>
      <Field id="alert-webhook" label="Operational webhook URL" errors={errors.webhookUrl}
        hint="HTTPS. Signed with Standard Webhooks headers and its own secret; leave empty for none.">
        <Input id="alert-webhook" name="webhookUrl" type="url" defaultValue={webhookUrl} placeholder="https://ops.example.com/hookrelay-alerts"
          aria-invalid={errors.webhookUrl ? true : undefined} maxLength={2048} />
      </Field>
      <FormMessage state={state} />
      <SubmitButton disabled={pending} pendingText="Saving…">Save</SubmitButton>
    </form>
  );
}
