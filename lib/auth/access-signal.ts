import { sql } from 'drizzle-orm';
import type { Pool } from 'pg';
import type { Tx } from '@/db/client';
import { listen, type Listener } from '@/db/listen';

// Tells every process that cached access must be dropped: a key revoked, a member demoted or removed.
// In this process at once (shared through globalThis, so Next's bundled copy of lib/ and the API server's agree);
// in other processes by NOTIFY on PostgreSQL, sent inside the change's transaction so it goes out when that commits.

export const ACCESS_CHANNEL = 'hookrelay_access';

/** What changed: one key, or one member of one organization (their keys are capped by their role). */
export type AccessChange = { keyId: string } | { orgId: string; userId: string };

type Bus = { listeners: Set<(c: AccessChange) => void> };
const g = globalThis as unknown as { __hookrelayAccess?: Bus };
const bus = (g.__hookrelayAccess ??= { listeners: new Set() });

// Queues the NOTIFY inside a transaction (PostgreSQL delivers it at commit; PGlite has no other process to tell).
export async function notifyAccessChange(tx: Pick<Tx, 'execute'>, kind: 'pglite' | 'postgres', change: AccessChange): Promise<void> {
  if (kind === 'postgres') await tx.execute(sql`select pg_notify(${ACCESS_CHANNEL}, ${JSON.stringify(change)})`);
}

// Tells this process's caches, after the change committed.
export function announceAccessChange(change: AccessChange): void {
  for (const fn of bus.listeners) fn(change);
}

// Calls `fn` on every change announced in this process; returns the unsubscribe function.
export function onAccessChange(fn: (c: AccessChange) => void): () => void {
  bus.listeners.add(fn);
  return () => void bus.listeners.delete(fn);
}

/** A LISTEN connection for other processes' changes; `connected` is false while it is down (signals may be lost then). */
export type AccessListener = Listener;

// LISTENs on a dedicated connection (db/listen.ts: re-connects with backoff) and announces every change here;
// `onConnected` runs after every (re)connect, since changes made while down were missed.
export function listenForAccessChanges(pool: Pool, onConnected: () => void, onLost: () => void): AccessListener {
  return listen(pool, ACCESS_CHANNEL, {
    onNotification(payload) {
      try {
        announceAccessChange(JSON.parse(payload || '{}') as AccessChange);
      } catch {
        onConnected(); // unreadable: forget everything rather than guess
      }
    },
    onConnected,
    onLost: () => onLost(),
  });
}
