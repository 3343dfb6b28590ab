import { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { SMTPServer } from 'smtp-server';

/**
 * The benchmark's SMTP server (smtp-server): accepts everything and counts each message by its
 * Message-ID (the outbox row's id). It runs in a worker thread, as a mail server runs elsewhere,
 * so its work does not sit in the event loop of the app it receives from.
 */
export interface MailCounter {
  url: string;
  /** Arrivals per outbox id (more than one: sent twice). */
  arrivals: Map<string, number>;
  /** When the latest message was accepted (ms, performance.timeOrigin + performance.now()). */
  lastArrivalMs: number;
  close(): Promise<void>;
}

type FromWorker = { url: string } | { id: string; at: number };

const MESSAGE_ID = /^message-id:\s*<([0-9a-f-]{36})@tukiaika>/im;

/** The current time on the clock every thread shares. */
export const sharedNow = (): number => performance.timeOrigin + performance.now();

export function startMailCounter(): Promise<MailCounter> {
  const worker = new Worker(path.join(__dirname, 'mail-counter.js'), { workerData: { mailCounter: true } });
  const counter = { arrivals: new Map<string, number>(), lastArrivalMs: 0 };
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: FromWorker) => {
      if ('url' in m) {
        resolve(
          Object.assign(counter, {
            url: m.url,
            close: async () => {
              await worker.terminate();
            },
          }),
        );
        return;
      }
      counter.arrivals.set(m.id, (counter.arrivals.get(m.id) ?? 0) + 1);
      counter.lastArrivalMs = Math.max(counter.lastArrivalMs, m.at);
    });
  });
}

function serve(port: NonNullable<typeof parentPort>): void {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // A mail server's reverse lookup of 127.0.0.1 is not the app's time.
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      // The headers come first: only the start of each message is kept.
      let head = '';
      stream.on('data', (c: Buffer) => {
        if (head.length < 4096) head += c.toString('latin1');
      });
      stream.on('end', () => {
        port.postMessage({ id: MESSAGE_ID.exec(head)?.[1] ?? 'without Message-ID', at: sharedNow() } satisfies FromWorker);
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1', () => {
    port.postMessage({ url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}` } satisfies FromWorker);
  });
}

if (!isMainThread && parentPort && (workerData as { mailCounter?: boolean } | undefined)?.mailCounter) serve(parentPort);
