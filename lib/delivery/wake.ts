import { EventEmitter } from 'node:events';
import { sql } from 'drizzle-orm';
import type { Pool } from 'pg';
import { getDbHandle } from '@/lib/db';
import { listen } from '@/db/listen';

// The PostgreSQL channel on which publishers tell workers in other processes that work is due.
export const WORK_CHANNEL = 'hookrelay_work';

const g = globalThis as unknown as { __hookrelayWake?: EventEmitter };
const bus = (g.__hookrelayWake ??= new EventEmitter().setMaxListeners(0));

// Wakes this process's worker only.
export function wakeLocalWorkers(): void {
  bus.emit('work');
}

const notifying = ((globalThis as unknown as { __hookrelayNotify?: { sending: boolean; again: boolean } }).__hookrelayNotify ??= {
  sending: false,
  again: false,
});

// Wakes the workers after new work was committed: at once in this process, and by NOTIFY on PostgreSQL.
// NOTIFYs are sent after the commit and coalesced (while one is on its way, the next writes share one more): a
// NOTIFY inside a writing transaction holds PostgreSQL's notify lock through that commit's WAL flush, which would make
// the replays, test events and endpoint changes that call this wait for one another's flushes. (A publish's shared
// insert NOTIFYs in its own statement instead: see writeEvents.) Never throws: a lost signal only delays the work
// until the next poll.
export async function notifyWork(): Promise<void> {
  wakeLocalWorkers();
  if (notifying.sending) {
    notifying.again = true;
    return;
  }
  notifying.sending = true;
  try {
    const h = await getDbHandle();
    if (h.kind !== 'postgres') return;
    do {
      notifying.again = false;
      await h.db.execute(sql`select pg_notify(${WORK_CHANNEL}, '')`);
    } while (notifying.again);
  } catch {
    // the worker polls anyway
  } finally {
    notifying.sending = false;
  }
}

// Calls `fn` whenever this process signals new work; returns the unsubscribe function.
export function onWork(fn: () => void): () => void {
  bus.on('work', fn);
  return () => void bus.off('work', fn);
}

// LISTENs for work on a dedicated connection (db/listen.ts: re-connects with backoff) and calls `onWake` on every
// signal and after every (re)connect too, in case a signal was missed.
export function listenForWork(pool: Pool, onWake: () => void, log: (msg: string) => void = () => {}): { close(): Promise<void> } {
  return listen(pool, WORK_CHANNEL, {
    onNotification: () => onWake(),
    onConnected: onWake,
    onLost: (why) => log(`work listener lost (${why}); reconnecting`),
  });
}
