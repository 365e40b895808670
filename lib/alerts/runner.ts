import type { Db } from '@/db/client';
import { raiseExhausted, scanEndpoints, type FinishedAttempt } from './detect';
import { sendDueEmails } from './email';
import { smtpMailer, type SendMail } from './mailer';

// The alert work of a worker process: a scan for endpoint state changes and due emails every `intervalMs`, and
// delivery.exhausted for the attempts the worker records. Nothing here can stop the worker: errors are logged.
export type AlertRunner = { afterWrite(done: readonly FinishedAttempt[]): void; runOnce(): Promise<void>; stop(): Promise<void> };

export function startAlertRunner(db: Db, opts: { now: () => number; log: (msg: string, err?: unknown) => void; intervalMs?: number; mailer?: SendMail | null }): AlertRunner {
  const mailer = opts.mailer === undefined ? smtpMailer() : opts.mailer;
  const intervalMs = opts.intervalMs ?? 10_000;
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();
  // one piece of alert work at a time, in order
  const enqueue = (fn: () => Promise<unknown>) => {
    chain = chain.then(fn).then(
      () => {},
      (err) => opts.log('alerts: a step failed', describe(err)),
    );
    return chain;
  };
  const runOnce = () =>
    enqueue(async () => {
      await scanEndpoints(db, opts.now());
      if (mailer) await sendDueEmails(db, mailer, opts.now(), (m) => opts.log(`alerts: ${m}`));
    });
  const timer = setInterval(() => void runOnce(), intervalMs);
  timer.unref?.();
  void runOnce();
  return {
    afterWrite(done) {
      if (stopped || !done.some((d) => !d.ok)) return;
      void enqueue(async () => {
        await raiseExhausted(db, done, opts.now());
        if (mailer) await sendDueEmails(db, mailer, opts.now(), (m) => opts.log(`alerts: ${m}`));
      });
    },
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await chain;
    },
  };
}

// Only a message: a database error can carry the statement's parameters, an SMTP error the server's reply.
function describe(err: unknown): string {
  return (err as Error)?.message?.slice(0, 300) ?? String(err);
}
