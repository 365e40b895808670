import { SMTPServer } from 'smtp-server';

// A message the local SMTP server took: envelope recipients, the unfolded Subject header and the raw message.
export type ReceivedMail = { from: string; to: string[]; subject: string; raw: string };
export type SmtpSink = { url: string; port: number; mails: ReceivedMail[]; close(): Promise<void> };

// A local SMTP server on 127.0.0.1 (plain, no STARTTLS, no auth) that keeps every message, for alert tests.
// `user:pass` in the URL it hands out are accepted and ignored, so tests can check they never leak.
export async function startSmtpSink(opts: { credentials?: boolean } = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: opts.credentials ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth(_auth, _session, cb) {
      cb(null, { user: 'test' });
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
        const subject = /^Subject: (.*)$/im.exec(head)?.[1] ?? '';
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject,
          raw,
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as import('node:net').AddressInfo).port;
  return {
    url: opts.credentials ? `smtp://alice:s3cret-pass@127.0.0.1:${port}` : `smtp://127.0.0.1:${port}`,
    port,
    mails,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
