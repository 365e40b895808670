import type { Db } from '../../db/client';
import { makeOrg } from '../webhooks/testing';
import { createApiKey } from './keys';
import type { RouteContext } from './route';

// Helpers for the API's tests: call a route handler as Next does, and make an organization with keys.

export type RouteHandler = (request: Request, context: RouteContext) => Promise<Response>;
export type CallOptions = {
  key?: string | null;
  body?: unknown;
  /** Sent as is, instead of JSON of `body`. */
  raw?: string | ReadableStream<Uint8Array>;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  query?: Record<string, string>;
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Called = { status: number; body: any; headers: Headers; text: string };

// Calls an exported route handler with a Request for /api/v1{path}, the way Next 16 does (params as a Promise).
export async function call(handler: RouteHandler, method: string, path: string, opts: CallOptions = {}): Promise<Called> {
  const url = new URL(`http://test/api/v1${path}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}), ...opts.headers };
  let body: string | ReadableStream<Uint8Array> | undefined = opts.raw;
  if (body === undefined && opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) };
  const res = await handler(new Request(url, init), { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) parsed = JSON.parse(text);
  return { status: res.status, body: parsed, headers: res.headers, text };
}

// An organization with its seeded catalog, a member per role, and an admin and a developer key made by the owner.
export async function makeApiOrg(db: Db) {
  const org = await makeOrg(db);
  const admin = await createApiKey(org.actors.owner, { name: 'Admin key', role: 'admin' });
  const developer = await createApiKey(org.actors.owner, { name: 'Developer key', role: 'developer' });
  return { ...org, adminKey: admin.key, developerKey: developer.key, adminKeyId: admin.apiKey.id, developerKeyId: developer.apiKey.id };
}
