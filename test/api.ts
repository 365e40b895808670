import type { Db } from '@/db/client';
import { makeOrg } from './factories';
import { startApiServer } from '@/lib/api/http';
import { createApiKey } from '@/lib/api/keys';
import type { ApiRoute } from '@/lib/api/pipeline';

// Helpers for the API's tests: call the API over HTTP as a client does, and make an organization with keys.

export type CallOptions = {
  key?: string | null;
  body?: unknown;
  /** Sent as is, instead of JSON of `body`. */
  raw?: string | ReadableStream<Uint8Array>;
  headers?: Record<string, string>;
  query?: Record<string, string>;
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Called = { status: number; body: any; headers: Headers; text: string };
export type Caller = (method: string, path: string, opts?: CallOptions) => Promise<Called>;

// Calls `${base}/api/v1{path}` over HTTP.
export async function callAt(base: string, method: string, path: string, opts: CallOptions = {}): Promise<Called> {
  const url = new URL(`${base}/api/v1${path}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}), ...opts.headers };
  let body: string | ReadableStream<Uint8Array> | undefined = opts.raw;
  if (body === undefined && opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) };
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) parsed = JSON.parse(text);
  return { status: res.status, body: parsed, headers: res.headers, text };
}

// A caller of an API-only server on an ephemeral port serving `table` (the real route table by default).
export function apiCaller(table?: readonly ApiRoute[]): Caller {
  let started: ReturnType<typeof startApiServer> | undefined;
  return async (method, path, opts) => {
    started ??= startApiServer({ table }).then((s) => (s.server.unref(), s));
    return callAt((await started).url, method, path, opts);
  };
}

/** Calls the real API of this process's database over HTTP. */
export const call: Caller = apiCaller();

// An organization with its seeded catalog, a member per role, and an admin and a developer key made by the owner.
export async function makeApiOrg(db: Db) {
  const org = await makeOrg(db);
  const admin = await createApiKey(org.actors.owner, { name: 'Admin key', role: 'admin' });
  const developer = await createApiKey(org.actors.owner, { name: 'Developer key', role: 'developer' });
  return { ...org, adminKey: admin.key, developerKey: developer.key, adminKeyId: admin.apiKey.id, developerKeyId: developer.apiKey.id };
}

// An API organization (makeApiOrg) with two endpoints its admin key made: one for compound.created, one for all events.
export async function makeApiOrgWithEndpoints(db: Db) {
  const a = await makeApiOrg(db);
  const make = async (eventTypes: string[]) =>
    (await call('POST', '/endpoints', { key: a.adminKey, body: { url: 'https://127.0.0.1:9443/x', eventTypes } })).body.endpoint.id as string;
  const epCompound = await make(['compound.created']);
  const epAll = await make(['*']);
  return { a, epCompound, epAll };
}
