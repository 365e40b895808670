import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import { parseEnv } from '@/lib/env';
import { describeMailError, smtpMailer } from './mailer';
import { advice, alertData } from './payload';

describe('alert emails', () => {
  it('never puts the SMTP credentials in a logged error', () => {
    const url = 'smtp://mailer%40example.com:p%40ss-w0rd@mail.example.com:587';
    const err = Object.assign(new Error('Invalid login for mailer@example.com with p@ss-w0rd at smtp://mailer%40example.com:p%40ss-w0rd@mail.example.com:587'), { code: 'EAUTH' });
    const msg = describeMailError(err, url);
    expect(msg).toMatch(/^EAUTH: Invalid login/);
    expect(msg).not.toContain('p@ss-w0rd');
    expect(msg).not.toContain('p%40ss-w0rd');
    expect(msg).not.toContain('mailer@example.com');
  });

  it('rejects with a one-line reason, without the credentials, when the mail server cannot be reached', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as import('node:net').AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r())); // a port nothing listens on
    const send = smtpMailer({ SMTP_URL: `smtp://alice:hunter2-secret@127.0.0.1:${port}`, SMTP_FROM: 'alerts@example.com' })!;
    const err = await send({ to: ['ops@example.com'], subject: 's', text: 't' }).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
    expect(err?.message).not.toContain('hunter2-secret');
  });

  it('validates SMTP_URL and defaults SMTP_FROM to hookrelay@ the PUBLIC_URL host', () => {
    const base = { DATA_DIR: mkdtempSync(path.join(tmpdir(), 'hookrelay-env-')) };
    expect(() => parseEnv({ ...base, SMTP_URL: 'http://mail.example.com' })).toThrow(/SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
    const e = parseEnv({ ...base, SMTP_URL: 'smtps://u:p@mail.example.com:465', PUBLIC_URL: 'https://hooks.example.com' });
    expect(e.SMTP_FROM).toBe('hookrelay@hooks.example.com');
    expect(parseEnv({ ...base, SMTP_FROM: 'Ops <ops@example.com>' }).SMTP_FROM).toBe('Ops <ops@example.com>');
  });

  it('puts the alert data in contract order and says what to do', () => {
    const d = alertData({ cause: 'http_5xx', lastStatus: 500, deliveryId: 'dlv_1', reason: 'r', url: 'https://x', endpointId: 'ep_1' });
    expect(Object.keys(d)).toEqual(['endpointId', 'url', 'reason', 'deliveryId', 'lastStatus', 'cause']);
    expect(advice('endpoint.disabled', d)).toMatch(/Fix the receiver, then Enable/);
  });
});
