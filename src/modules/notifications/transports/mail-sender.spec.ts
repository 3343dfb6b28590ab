import { AddressInfo } from 'node:net';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import { SMTPServer } from 'smtp-server';
import { MailSender, SMTP_CONNECTIONS, smtpUrlWithDefaults } from './mail-sender';

describe('smtpUrlWithDefaults', () => {
  it('pools connections and sets timeouts, keeping host, port and credentials as nodemailer reads them', () => {
    const options = parseConnectionUrl(smtpUrlWithDefaults('smtp://digituki:p%40ss%3Aword@mail.example.fi:587')) as Record<string, unknown>;
    expect(options).toMatchObject({
      host: 'mail.example.fi',
      port: 587,
      secure: false,
      auth: { user: 'digituki', pass: 'p@ss:word' },
      pool: true,
      maxConnections: SMTP_CONNECTIONS,
      connectionTimeout: 30000,
      socketTimeout: 60000,
    });
  });

  it('leaves what the operator put in the query as it is', () => {
    const options = parseConnectionUrl(smtpUrlWithDefaults('smtps://relay.example.fi?pool=false&maxConnections=2&tls.rejectUnauthorized=false')) as Record<string, unknown>;
    expect(options).toMatchObject({ secure: true, host: 'relay.example.fi', pool: false, maxConnections: 2, tls: { rejectUnauthorized: false } });
  });
});

/** MailSender against a real SMTP server, over the connections it opens itself (Nagle off). */
describe('MailSender over SMTP', () => {
  const servers: SMTPServer[] = [];
  afterAll(async () => {
    for (const s of servers) await new Promise<void>((resolve) => s.close(() => resolve()));
  });

  async function server(secure: boolean): Promise<{ port: number; subjects: string[] }> {
    const subjects: string[] = [];
    const s = new SMTPServer({
      secure,
      // The built-in test certificate has expired: plain SMTP stays plain, smtps skips the check.
      disabledCommands: secure ? [] : ['STARTTLS'],
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          subjects.push(/^Subject: (.*)$/m.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? '');
          callback();
        });
      },
    });
    servers.push(s);
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    return { port: (s.server.address() as AddressInfo).port, subjects };
  }

  const mail = (id: string) => ({ id, to: 'aino@example.fi', subject: `Viesti ${id}`, text: 'Hei', html: '<p>Hei</p>' });

  it.each([
    ['smtp', false, ''],
    ['smtps (TLS from the start)', true, '?tls.rejectUnauthorized=false'],
  ])('delivers over %s, several messages at once on the pool', async (_name, secure, query) => {
    const { port, subjects } = await server(secure);
    const sender = new MailSender({ smtpUrl: `${secure ? 'smtps' : 'smtp'}://127.0.0.1:${port}${query}`, mailFrom: 'digituki@kirjasto.example.fi', outboxDir: '/nonexistent' });
    try {
      await Promise.all(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].map((id) => sender.send(mail(id))));
    } finally {
      sender.close();
    }
    expect(subjects.sort()).toEqual(['1', '10', '2', '3', '4', '5', '6', '7', '8', '9'].map((id) => `Viesti ${id}`));
  });

  it('fails the send when nothing listens (the outbox then retries it)', async () => {
    const { port } = await server(false);
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    const sender = new MailSender({ smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'digituki@kirjasto.example.fi', outboxDir: '/nonexistent' });
    try {
      await expect(sender.send(mail('x'))).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      sender.close();
    }
  });
});
