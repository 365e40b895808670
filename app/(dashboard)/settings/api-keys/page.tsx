import { notFound } from 'next/navigation';
import { requireMember } from '@/lib/auth/require-member';
import { can, roleAtLeast } from '@/lib/auth/permissions';
import { API_KEY_ROLES, listApiKeys } from '@/lib/api/keys';
import { Badge } from '@/components/ui/card';
import { Table, TBody, Td, Th } from '@/components/ui/table';
import { CreateApiKey } from '@/components/api-keys/create-api-key';
import { RevokeApiKey } from '@/components/api-keys/revoke-api-key';
import { createApiKeyAction, revokeApiKeyAction } from './actions';
import { LocalTime } from '@/components/ui/local-time';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'API keys · Hookrelay' };

// Settings → API keys (admin and above): keys that publish events and manage webhooks through /api/v1.
export default async function ApiKeysPage() {
  const member = await requireMember();
  if (member.portal) notFound(); // members and API keys are the platform's, not a portal visitor's
  if (!can(member.role, 'api-keys.write')) {
    return (
      <div className="mx-auto max-w-4xl space-y-4">
        <h1 className="text-2xl font-semibold">API keys</h1>
        <p role="status" className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900">
          API keys are managed by admins and owners. Your role is {member.role}; ask an admin of this organization to create a key for you.
        </p>
      </div>
    );
  }
  const keys = await listApiKeys(member.orgId);
  const roles = API_KEY_ROLES.filter((r) => roleAtLeast(member.role, r));
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <header className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">API keys</h1>
          <p className="text-sm text-slate-600">
            Keys let your services publish events and manage webhooks through the REST API (<a className="text-indigo-700 underline" href="/api/v1/openapi.json">OpenAPI document</a>).
            Send one as <code className="rounded bg-slate-100 px-1">Authorization: Bearer hr_…</code>. A key acts for this organization with its role.
          </p>
        </div>
        <CreateApiKey action={createApiKeyAction} roles={[...roles]} />
      </header>
      {keys.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-surface p-10 text-center">
          <h2 className="text-lg font-medium">No API keys yet</h2>
          <p className="mx-auto mt-1 max-w-md text-sm text-slate-600">Create a key for each service that publishes events, so you can revoke one without touching the others.</p>
        </div>
      ) : (
        <Table caption="API keys">
          <thead>
            <tr><Th>Name</Th><Th>Key</Th><Th>Role</Th><Th>Created by</Th><Th>Created</Th><Th>Last used</Th><Th><span className="sr-only">Actions</span></Th></tr>
          </thead>
          <TBody>
            {keys.map((k) => (
              <tr key={k.id}>
                <Td className="font-medium">{k.name}</Td>
                <Td><code className="font-mono text-xs">{k.prefix}…</code></Td>
                <Td><Badge tone={k.role === 'admin' ? 'blue' : 'slate'}>{k.role}</Badge></Td>
                <Td className="text-xs text-slate-600">{k.createdBy ?? '—'}</Td>
                <Td className="whitespace-nowrap text-xs text-slate-600"><LocalTime at={k.createdAt} /></Td>
                <Td className="whitespace-nowrap text-xs text-slate-600">{k.lastUsedAt ? <LocalTime at={k.lastUsedAt} /> : 'Never'}</Td>
                <Td className="text-right"><RevokeApiKey id={k.id} name={k.name} prefix={k.prefix} action={revokeApiKeyAction} /></Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}
