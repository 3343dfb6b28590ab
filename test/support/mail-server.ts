import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message the test SMTP server accepted: envelope and the raw RFC 5322 text. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/**
 * A real SMTP server on a free local port (smtp-server), keeping what it accepts. `refuse`
 * decides per recipient whether the next DATA is refused (a transient 451), to play a failing
 * provider.
 */
export async function startMailServer(): Promise<{ url: string; received: ReceivedMail[]; refuse: (to: string) => boolean; setRefuse(f: (to: string) => boolean): void; close(): Promise<void> }> {
  const received: ReceivedMail[] = [];
  let refuse: (to: string) => boolean = () => false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((a) => a.address);
        if (to.some((a) => refuse(a))) {
          const error = new Error(`Mailbox ${to[0]} busy, try later`) as Error & { responseCode: number };
          error.responseCode = 451;
          return callback(error);
        }
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to, raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    get refuse() {
      return refuse;
    },
    setRefuse(f) {
      refuse = f;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A parsed MIME message: decoded headers and every leaf part, decoded. */
export interface ParsedMail {
  headers: Record<string, string>;
  parts: { type: string; headers: Record<string, string>; body: string }[];
}

/** Enough MIME for the messages nodemailer writes: multipart nesting, quoted-printable, base64, encoded words. */
export function parseMail(raw: string): ParsedMail {
  const { headers, body } = splitEntity(raw);
  return { headers, parts: leaves(headers, body) };
}

function splitEntity(raw: string): { headers: Record<string, string>; body: string } {
  const text = raw.replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  const head = end < 0 ? text : text.slice(0, end);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  return { headers, body: end < 0 ? '' : text.slice(end + 2) };
}

function leaves(headers: Record<string, string>, body: string): ParsedMail['parts'] {
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
  if (type.startsWith('multipart/') && boundary) {
    return body
      .split(`--${boundary}`)
      .slice(1)
      .filter((chunk) => !chunk.startsWith('--'))
      .flatMap((chunk) => {
        const part = splitEntity(chunk.replace(/^\n/, ''));
        return leaves(part.headers, part.body);
      });
  }
  const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  const decoded =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? Buffer.from(qp(body), 'latin1').toString('utf8')
        : body;
  return [{ type: type.split(';')[0].trim(), headers, body: decoded }];
}

function qp(s: string): string {
  return s.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : Buffer.from(qp(data.replace(/_/g, ' ')), 'latin1').toString('utf8'),
    );
}
