import { EventEmitter } from 'node:events';
import { sql } from 'drizzle-orm';
import type { Pool } from 'pg';
import { getDbHandle } from '../db';

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
// NOTIFYs are sent after the commit and coalesced (while one is on its way, the next publishes share one more): a
// NOTIFY inside a writing transaction holds PostgreSQL's notify lock through that commit's WAL flush, which turns
// concurrent publishes into one flush each. Never throws: a lost signal only delays the work until the next poll.
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

// LISTENs for work on a dedicated connection made like the pool's; re-connects with backoff (0.1 s doubling to 5 s)
// after an error or a server restart, and calls `onWake` after every (re)connect too, in case a signal was missed.
export function listenForWork(pool: Pool, onWake: () => void, log: (msg: string) => void = () => {}): { close(): Promise<void> } {
  let closed = false;
  let current: import('pg').Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let delay = 100;
  const retry = (c: import('pg').Client, why: string) => {
    if (closed || current !== c) return;
    current = undefined;
    c.end().catch(() => {});
    log(`work listener lost (${why}); reconnecting in ${delay} ms`);
    timer = setTimeout(connect, delay);
    delay = Math.min(delay * 2, 5000);
  };
  const connect = async () => {
    if (closed) return;
    const { Client } = (await import('pg')).default;
    const c = new Client(pool.options);
    current = c;
    c.on('notification', () => onWake());
    c.on('error', (e) => retry(c, e.message));
    c.on('end', () => retry(c, 'connection ended'));
    try {
      await c.connect();
      await c.query(`LISTEN ${WORK_CHANNEL}`);
      delay = 100;
      onWake();
    } catch (e) {
      retry(c, (e as Error).message);
    }
  };
  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      const c = current;
      current = undefined;
      await c?.end().catch(() => {});
    },
  };
}
