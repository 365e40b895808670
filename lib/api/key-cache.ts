import type { DbHandle } from '@/db/client';
import type { Actor } from '@/lib/auth/permissions';
import { listenForAccessChanges, onAccessChange, type AccessChange, type AccessListener } from '@/lib/auth/access-signal';

// The actors of recently used API keys, by key hash, so a request costs no database round trip.
// An entry is dropped at once when its key is revoked or its creator demoted or removed: in this process by the
// in-process signal, in the others by NOTIFY. On PostgreSQL nothing is cached while the LISTEN connection is down
// (a change could be missed), and everything is forgotten when it comes back.

export type CachedKey = { actor: Actor; createdBy: string; lastUsedAt: number | null };

const MAX_ENTRIES = 10_000;
const entries = new Map<string, CachedKey>();
let generation = 0;
let listener: { pool: unknown; l: AccessListener } | undefined;
let subscribed = false;

function drop(change: AccessChange): void {
  generation++;
  for (const [hash, e] of entries) {
    if ('keyId' in change ? e.actor.id === change.keyId : e.actor.orgId === change.orgId && e.createdBy === change.userId) entries.delete(hash);
  }
}

function forgetAll(): void {
  generation++;
  entries.clear();
}

// Whether entries may be kept now; starts the LISTEN connection on first use on PostgreSQL.
function cacheable(handle: DbHandle): boolean {
  if (!subscribed) {
    subscribed = true;
    onAccessChange(drop);
  }
  if (handle.kind !== 'postgres' || !handle.pool) return true;
  if (listener?.pool !== handle.pool) {
    void listener?.l.close();
    forgetAll();
    listener = { pool: handle.pool, l: listenForAccessChanges(handle.pool, forgetAll, forgetAll) };
  }
  return listener.l.connected;
}

export function cachedKey(handle: DbHandle, hash: string): CachedKey | undefined {
  return cacheable(handle) ? entries.get(hash) : undefined;
}

/** A token to take before reading a key from the database; `remember` keeps the result only if nothing changed since. */
export function cacheTicket(): number {
  return generation;
}

export function rememberKey(handle: DbHandle, hash: string, entry: CachedKey, ticket: number): void {
  if (ticket !== generation || !cacheable(handle)) return;
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(hash, entry);
}

// Forgets every cached key (tests; a restart does the same).
export function forgetCachedKeys(): void {
  forgetAll();
}

// Stops listening (tests, shutdown).
export async function closeKeyCache(): Promise<void> {
  const l = listener;
  listener = undefined;
  forgetAll();
  await l?.l.close();
}
