import Link from 'next/link';
import { requireMember } from '@/lib/auth/require-member';
import { can } from '@/lib/auth/permissions';
import { listEventTypes } from '@/lib/webhooks/event-types';
import { Card } from '@/components/ui/card';
import { EndpointForm } from '@/components/webhooks/endpoint-form';
import { createEndpointAction } from '@/app/(dashboard)/settings/webhooks/actions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Create Webhook · Hookrelay' };

// Create Webhook: URL, description, events, signature format, custom headers and rate limit.
export default async function NewWebhookPage() {
  const member = await requireMember();
  const canWrite = can(member.role, 'webhooks.write');
  const types = await listEventTypes(member.orgId, { includeDeprecated: false });
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <header>
        <Link href="/settings/webhooks" className="text-sm text-indigo-700 underline">← Webhooks</Link>
        <h1 className="mt-2 text-2xl font-semibold">Create Webhook</h1>
        <p className="text-sm text-slate-600">Hookrelay signs every delivery; you can reveal the signing secret on the endpoint&apos;s page.</p>
      </header>
      {canWrite ? (
        <Card>
          <EndpointForm action={createEndpointAction} submitLabel="Create Webhook"
            catalog={types.map((t) => ({ name: t.name, description: t.description, deprecated: t.deprecated }))} />
        </Card>
      ) : (
        <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Your role ({member.role}) cannot create webhooks; ask a developer, admin or owner of this organization.
        </p>
      )}
    </div>
  );
}
