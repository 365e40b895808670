import { Worker } from 'node:worker_threads';
import path from 'node:path';

// The embedded database on a thread of its own. PGlite runs PostgreSQL as WebAssembly on the thread that calls it: on
// the server's main thread it took about 60% of that thread's time while delivering (bench:delivery, embedded), so the
// API, the pages and the worker's sending waited behind it on one core. Here PGlite runs in a worker thread and this
// side answers the calls drizzle's PGlite driver makes (query, exec, transaction, close) by message: the database works
// on the second core while this thread serves requests and sends webhooks. Still one process and one PGlite per data
// directory; queries and transactions keep PGlite's own order and locking, which runs unchanged in the thread.
// Measured side by side (bench:delivery, embedded, three runs each): publish → arrival at 1,000 events/s went from
// p99 1,409-2,169 ms (the server fell behind) to 89-143 ms; at 100 events/s p99 from 68-130 to 31-73 ms, while p50 rose
// from 7 to 9-16 ms, as each call now crosses threads (about 0.3-0.5 ms a round trip here); end to end ~900/s both.
// So a transaction is one call to open it, one per statement and one to end it, and hot statements go as one call.

// Plain CommonJS run by the thread: loads PGlite from the project's node_modules (not from Next's bundle) and runs each
// call on it. A transaction stays open in the thread until its `end` message commits or rolls it back; other queries
// wait for it, as they do in PGlite. Errors go back with PostgreSQL's fields (code, constraint, …) for the callers'
// checks.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const req = require('node:module').createRequire(workerData.base);
const { PGlite } = req('@electric-sql/pglite');
const FIELDS = ${JSON.stringify([
  'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'where', 'schema', 'table', 'column',
  'dataType', 'constraint', 'severity', 'file', 'line', 'routine',
])};
const identity = (v) => v;
const optionsOf = (o) => o && { rowMode: o.rowMode, parsers: Object.fromEntries((o.raw || []).map((t) => [t, identity])) };
const wire = (e) => {
  const out = { message: String((e && e.message) || e), name: (e && e.name) || 'Error' };
  for (const k of FIELDS) if (e && e[k] !== undefined && e[k] !== null) out[k] = e[k];
  return out;
};
const ROLLBACK = new Error('rollback');
const open = new Map(); // transaction id → { tx, end(commit), done }
const ready = PGlite.create(workerData.dataDir || undefined);
parentPort.on('message', async (m) => {
  const reply = (r) => parentPort.postMessage({ id: m.id, ...r });
  try {
    const pg = await ready;
    if (m.op === 'query' || m.op === 'exec') {
      const on = m.tx ? open.get(m.tx).tx : pg;
      reply({ result: m.op === 'query' ? await on.query(m.sql, m.params, optionsOf(m.options)) : await on.exec(m.sql, optionsOf(m.options)) });
    } else if (m.op === 'begin') {
      let begun = false;
      const done = pg.transaction((tx) => new Promise((resolve, reject) => {
        begun = true;
        open.set(m.tx, { tx, end: (commit) => (commit ? resolve() : reject(ROLLBACK)), done });
        reply({ result: null });
      }));
      done.catch((e) => { if (!begun) reply({ error: wire(e) }); });
    } else if (m.op === 'end') {
      const t = open.get(m.tx);
      open.delete(m.tx);
      t.end(m.commit);
      try {
        await t.done;
        reply({ result: null });
      } catch (e) {
        reply(e === ROLLBACK ? { result: null } : { error: wire(e) });
      }
    } else if (m.op === 'close') {
      await pg.close();
      reply({ result: null });
    }
  } catch (e) {
    reply({ error: wire(e) });
  }
});
`;

type Options = { rowMode?: 'array' | 'object'; parsers?: Record<number, (value: string, typeId: number) => unknown> };
type Reply = { id: number; result?: unknown; error?: Record<string, unknown> & { message: string } };
type Call = { op: 'query' | 'exec' | 'begin' | 'end' | 'close'; tx?: number; sql?: string; params?: unknown[]; options?: { rowMode?: string; raw: number[] }; commit?: boolean };

/** What drizzle's PGlite driver calls on its client (and a transaction's). */
export type PgliteClient = {
  query(sql: string, params?: unknown[], options?: Options): Promise<unknown>;
  exec(sql: string, options?: Options): Promise<unknown>;
  transaction<T>(callback: (tx: Omit<PgliteClient, 'transaction' | 'close'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

// The options as sent: the row mode, and the types whose text is kept as it is. drizzle's parsers keep timestamps,
// intervals and dates as text (identity functions); any other parser cannot cross to the thread, and is refused.
function wireOptions(o: Options | undefined): Call['options'] {
  if (!o) return undefined;
  const raw = Object.entries(o.parsers ?? {}).map(([type, parse]) => {
    if (parse('\u0000probe', Number(type)) !== '\u0000probe') throw new Error(`The embedded database keeps type ${type} as text only; a parser that changes it cannot run on its thread.`);
    return Number(type);
  });
  return { rowMode: o.rowMode, raw };
}

// Opens PGlite (in memory when dataDir is undefined) on its own thread. A PGlite that cannot open fails every call with
// its error (the first is the caller's migration).
export function startPgliteThread(dataDir?: string): PgliteClient {
  const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { base: path.join(process.cwd(), 'package.json'), dataDir } });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let seq = 0;
  let txSeq = 0;
  let stopped: Error | null = null;
  // The thread keeps the process alive only while a call waits on it, as an in-process PGlite did (switched only when
  // that changes: each switch costs about as much as a call).
  let held = true;
  const refOnlyWhileBusy = () => {
    if (held === pending.size > 0) return;
    held = !held;
    if (held) worker.ref();
    else worker.unref();
  };
  worker.on('message', (r: Reply) => {
    const p = pending.get(r.id);
    if (!p) return;
    pending.delete(r.id);
    refOnlyWhileBusy();
    if (r.error) p.reject(Object.assign(new Error(r.error.message), r.error));
    else p.resolve(r.result);
  });
  const fail = (err: Error) => {
    stopped = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    refOnlyWhileBusy();
  };
  worker.on('error', (e) => fail(new Error(`The embedded database stopped: ${e.message}`)));
  worker.on('exit', (code) => fail(new Error(`The embedded database stopped (its thread exited with ${code}).`)));
  const call = (m: Call): Promise<unknown> => {
    if (stopped) return Promise.reject(stopped);
    return new Promise((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve, reject });
      refOnlyWhileBusy();
      worker.postMessage({ id, ...m });
    });
  };
  const on = (tx?: number) => ({
    query: (sql: string, params?: unknown[], options?: Options) => call({ op: 'query', tx, sql, params, options: wireOptions(options) }),
    exec: (sql: string, options?: Options) => call({ op: 'exec', tx, sql, options: wireOptions(options) }),
  });
  const client: PgliteClient = {
    ...on(),
    async transaction(callback) {
      const tx = ++txSeq;
      await call({ op: 'begin', tx });
      let result;
      try {
        result = await callback(on(tx));
      } catch (err) {
        await call({ op: 'end', tx, commit: false }).catch(() => {});
        throw err;
      }
      await call({ op: 'end', tx, commit: true });
      return result;
    },
    async close() {
      if (stopped) return;
      await call({ op: 'close' }).catch(() => {});
      await worker.terminate();
    },
  };
  return client;
}
