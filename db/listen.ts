import type { Pool, Client } from 'pg';

/** A LISTEN connection; `connected` is false while it is down (notifications sent then are lost). */
export type Listener = { readonly connected: boolean; close(): Promise<void> };

export type ListenHandlers = {
  /** Each notification's payload ('' when it has none). */
  onNotification(payload: string): void;
  /** After every (re)connect: whatever was sent while down was missed. */
  onConnected(): void;
  /** When the connection is lost, with why. */
  onLost?(why: string): void;
};

// LISTENs on `channel` on a dedicated connection made like the pool's. Re-connects with backoff (0.1 s doubling to
// 5 s) after an error or a server restart. Used by the workers' wake-up and by the access caches.
export function listen(pool: Pool, channel: string, h: ListenHandlers): Listener {
  let closed = false;
  let connected = false;
  let current: Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let delay = 100;
  const retry = (c: Client, why: string) => {
    if (current !== c) return;
    current = undefined;
    connected = false;
    h.onLost?.(why);
    c.removeAllListeners('end');
    c.on('error', () => {});
    c.end().catch(() => {});
    if (closed) return;
    timer = setTimeout(connect, delay);
    delay = Math.min(delay * 2, 5000);
  };
  const connect = async () => {
    if (closed) return;
    const { Client } = (await import('pg')).default;
    const c = new Client(pool.options);
    current = c;
    c.on('notification', (n) => h.onNotification(n.payload ?? ''));
    c.on('error', (e) => retry(c, e.message));
    c.on('end', () => retry(c, 'connection ended'));
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      if (current !== c) return;
      delay = 100;
      connected = true;
      h.onConnected();
    } catch (e) {
      retry(c, (e as Error).message);
    }
  };
  void connect();
  return {
    get connected() {
      return connected;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      const c = current;
      current = undefined;
      connected = false;
      await c?.end().catch(() => {});
    },
  };
}
