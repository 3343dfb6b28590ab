import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';

/** What the benchmark's SMTP server saw, by Message-ID (the outbox row's id). */
export interface MailCounter {
  url: string;
  /** Arrivals per outbox id (more than one: sent twice). */
  arrivals: Map<string, number>;
  /** performance.now() of the latest accepted message. */
  lastArrivalMs: number;
  close(): Promise<void>;
}

const MESSAGE_ID = /^message-id:\s*<([0-9a-f-]{36})@tukiaika>/im;

/** A local SMTP server (smtp-server) that accepts everything and counts each message by its Message-ID. */
export async function startMailCounter(): Promise<MailCounter> {
  const counter = { arrivals: new Map<string, number>(), lastArrivalMs: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    maxClients: 64,
    onData(stream, _session, callback) {
      // The headers come first: only the start of each message is kept.
      let head = '';
      stream.on('data', (c: Buffer) => {
        if (head.length < 4096) head += c.toString('latin1');
      });
      stream.on('end', () => {
        const id = MESSAGE_ID.exec(head)?.[1] ?? 'without Message-ID';
        counter.arrivals.set(id, (counter.arrivals.get(id) ?? 0) + 1);
        counter.lastArrivalMs = performance.now();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(counter, {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
