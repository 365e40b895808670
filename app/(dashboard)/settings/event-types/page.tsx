import { requireMember } from '@/lib/auth/require-member';
import { can } from '@/lib/auth/permissions';
import { listEventTypes } from '@/lib/webhooks/event-types';
import { Card } from '@/components/ui/card';
import { EventTypeForm } from '@/components/event-types/event-type-form';
import { EventTypeCard } from '@/components/event-types/event-type-card';
import { createEventTypeAction, setEventTypeDeprecatedAction, updateEventTypeAction } from './actions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Event types · Hookrelay' };

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

// Settings → Event types: the catalog, with each type's schema and sample; admins add, edit, deprecate and restore.
export default async function EventTypesPage() {
  const member = await requireMember();
  const types = await listEventTypes(member.orgId);
  const canWrite = can(member.role, 'event-types.write');
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">Event types</h1>
        <p className="text-sm text-slate-600">
          The events this organization publishes. Each type&apos;s JSON Schema describes its <code className="font-mono">data</code> object; the sample is what test events send.
        </p>
      </header>
      {canWrite ? (
        <Card title="Add event type">
          <EventTypeForm mode="create" action={createEventTypeAction} />
        </Card>
      ) : (
        <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">You are a {member.role}: adding and editing event types needs the admin role.</p>
      )}
      {types.length === 0 ? <p className="text-sm text-slate-600">No event types yet.</p> : null}
      <ul className="space-y-4" aria-label="Event types">
        {types.map((t) => (
          <li key={t.id}>
            <EventTypeCard
              type={{ name: t.name, description: t.description, deprecated: t.deprecated, managed: t.managed, schema: pretty(t.schema), sample: pretty(t.sample) }}
              canWrite={canWrite}
              actions={{ update: updateEventTypeAction, setDeprecated: setEventTypeDeprecatedAction }}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}
