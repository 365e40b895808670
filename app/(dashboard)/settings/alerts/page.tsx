import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireMember } from '@/lib/auth/require-member';
import { actorCan } from '@/lib/auth/permissions';
import { getAlertsView } from '@/lib/alerts/settings';
import { retentionDays } from '@/lib/env';
import { Badge, Card } from '@/components/ui/card';
import { Table, TBody, Td, Th } from '@/components/ui/table';
import { LocalTime } from '@/components/ui/local-time';
import { AlertSettingsForm } from '@/components/alerts/alert-settings-form';
import { SecretPanel } from '@/components/webhooks/secret-panel';
import { secretRows } from '@/components/webhooks/format';
import { endAlertGraceAction, revealAlertSecretAction, rotateAlertSecretAction, saveAlertSettingsAction } from './actions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Alerts · Hookrelay' };

const EVENTS: [string, string][] = [
  ['endpoint.failing', 'an endpoint has failed for 24 h without a success; says when it will be disabled unless it recovers'],
  ['endpoint.disabled', 'Hookrelay disabled an endpoint (410 Gone, or 5 days of failures), with the reason'],
  ['endpoint.enabled', 'a disabled endpoint was enabled again'],
  ['delivery.exhausted', 'every scheduled attempt of a delivery failed (published events and replays; never test events)'],
];

const EMAIL_WORDS = { pending: 'waiting for the hourly digest', sent: 'sent', none: '—', failed: 'not sent (see the server log)' } as const;

// Settings → Alerts (admin and above): where an organization's alerts go, the operational webhook's secret, recent alerts.
export default async function AlertsPage() {
  const member = await requireMember();
  if (member.portal) notFound(); // alerts are the platform's, not a portal visitor's
  if (!actorCan(member, 'alerts.write')) {
    return (
      <div className="mx-auto max-w-4xl space-y-4">
        <h1 className="text-2xl font-semibold">Alerts</h1>
        <p role="status" className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900">
          Alerts are set up by admins and owners. Your role is {member.role}; ask an admin of this organization to add your address.
        </p>
      </div>
    );
  }
  const view = await getAlertsView(member);
  const now = Date.now();
  const rows = secretRows(view.webhook?.secrets ?? [], now);
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">Alerts</h1>
        <p className="text-sm text-slate-600">
          Hookrelay tells you when an endpoint breaks, before and after it is disabled — once per change of state, by email
          and to an operational webhook of your own.
        </p>
      </header>

      {!view.emailEnabled ? (
        <p role="status" className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="email-off">
          Email alerts are off: the operator has not set <code className="font-mono">SMTP_URL</code>. The operational webhook works without it.
        </p>
      ) : null}

      <Card title="Destinations">
        <AlertSettingsForm action={saveAlertSettingsAction} emails={view.emails} webhookUrl={view.webhook?.url ?? ''} emailEnabled={view.emailEnabled} />
        {view.emailEnabled ? <p className="mt-3 text-xs text-slate-500">Emails come from {view.emailFrom}. After the first <code>delivery.exhausted</code> email for an endpoint, further ones within the hour arrive as one digest.</p> : null}
      </Card>

      {view.webhook ? (
        <Card title="Operational webhook">
          <div className="mb-4 flex flex-wrap items-center gap-3 text-sm">
            <code className="break-all font-mono text-xs">{view.webhook.url}</code>
            {view.webhook.enabled ? <Badge tone="green">Active</Badge> : <Badge tone="red">Disabled</Badge>}
            {!view.webhook.enabled && view.webhook.disabledReason ? (
              <span className="text-slate-600">{view.webhook.disabledReason}. Fix the receiver, then Save to turn it on again.</span>
            ) : null}
          </div>
          <p className="mb-3 text-sm text-slate-600">
            Each alert is a <code>POST</code> of <code>{'{"id","type","timestamp","data":{"endpointId","url","reason",…}}'}</code> with the Standard Webhooks
            headers, retried on the same schedule as any delivery. Verify it with this secret.
          </p>
          <SecretPanel endpointId={view.webhook.id} secrets={rows} cutover={null} canReveal canRotate
            actions={{ reveal: revealAlertSecretAction, rotate: rotateAlertSecretAction, endGrace: endAlertGraceAction }} />
        </Card>
      ) : null}

      <Card title="Alert events">
        <ul className="space-y-1 text-sm">
          {EVENTS.map(([name, text]) => (
            <li key={name}><code className="font-mono text-xs">{name}</code> — {text}</li>
          ))}
        </ul>
      </Card>

      <Card title="History kept">
        <p className="text-sm text-slate-600" data-testid="retention">
          Events, deliveries and attempts are kept for <strong>{retentionDays()} days</strong>, then purged (the operator sets this
          with <code className="font-mono text-xs">WEBHOOK_RETENTION_DAYS</code>). A delivery still waiting to be sent is never purged.
        </p>
      </Card>

      <Card title="Recent alerts">
        {view.recent.length === 0 ? (
          <p className="text-sm text-slate-600">No alerts yet.</p>
        ) : (
          <Table caption="Recent alerts">
            <thead>
              <tr><Th>Alert</Th><Th>Endpoint</Th><Th>Email</Th><Th>Webhook</Th><Th>When</Th></tr>
            </thead>
            <TBody>
              {view.recent.map((a) => (
                <tr key={a.id}>
                  <Td><code className="font-mono text-xs">{a.type}</code><div className="text-xs text-slate-600">{a.data.reason}</div></Td>
                  <Td className="text-xs"><Link className="text-indigo-700 underline" href={`/settings/webhooks/${a.endpointId}`}>{a.data.url}</Link></Td>
                  <Td className="text-xs text-slate-600">{EMAIL_WORDS[a.emailStatus]}</Td>
                  <Td className="text-xs text-slate-600">
                    {a.webhookStatus ? `${a.webhookStatus}${a.webhookAttempts ? ` after ${a.webhookAttempts} attempt${a.webhookAttempts === 1 ? '' : 's'}` : ''}${a.webhookLastStatus ? ` (HTTP ${a.webhookLastStatus})` : ''}` : '—'}
                  </Td>
                  <Td className="whitespace-nowrap text-xs text-slate-600"><LocalTime at={a.createdAt} /></Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </div>
  );
}
