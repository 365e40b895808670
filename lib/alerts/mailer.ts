import nodemailer from 'nodemailer';
import { env } from '@/lib/env';

// One email to send.
export type Mail = { to: string[]; subject: string; text: string };
// Sends one email; rejects when the server refuses it.
export type SendMail = (mail: Mail) => Promise<void>;

// A mailer on SMTP_URL (null when it is unset: email alerts are off). Its errors never carry the URL's credentials.
export function smtpMailer(config: { SMTP_URL?: string; SMTP_FROM: string } = env()): SendMail | null {
  const { SMTP_URL, SMTP_FROM } = config;
  if (!SMTP_URL) return null;
  const transport = nodemailer.createTransport(SMTP_URL);
  return async (mail) => {
    try {
      await transport.sendMail({ from: SMTP_FROM, to: mail.to, subject: mail.subject, text: mail.text });
    } catch (err) {
      throw new Error(describeMailError(err, SMTP_URL));
    }
  };
}

// A one-line reason for a failed email, with the SMTP URL's user and password taken out.
export function describeMailError(err: unknown, smtpUrl: string): string {
  const e = err as { code?: unknown; responseCode?: unknown; message?: unknown };
  let msg = typeof e?.message === 'string' ? e.message : String(err);
  try {
    const u = new URL(smtpUrl);
    for (const secret of [u.password, decodeURIComponent(u.password), u.username, decodeURIComponent(u.username)]) {
      if (secret) msg = msg.split(secret).join('***');
    }
  } catch {
    /* SMTP_URL is validated at start */
  }
  msg = msg.replace(/smtps?:\/\/[^\s]*/g, 'the SMTP server');
  const code = typeof e?.code === 'string' ? `${e.code}: ` : '';
  return `${code}${msg}`.slice(0, 500);
}
