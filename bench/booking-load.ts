import http from 'node:http';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import path from 'node:path';

/**
 * Closed-loop POST load for the booking benchmark: `concurrency` keep-alive connections, each
 * sending its next request as soon as the previous answer is read; or, with `burst`, every
 * request at once (the one-slot stampede). Runs in a worker thread so the client's own work
 * does not sit in the event loop of the app it measures.
 *
 * The load itself goes through a minimal HTTP/1.1 client on plain sockets (LeanConnection below)
 * rather than node:http: every request is serialised into one Buffer before the run, and answers
 * are parsed just enough to get the status and, for non-201 answers only, the body. The app shares
 * the machine's 2 cores with this worker, so every CPU ms spent here is taken from the app.
 */

export interface PostRequest {
  body: string;
  headers: Record<string, string>;
}

export interface PostLoadJob {
  baseUrl: string;
  path: string;
  requests: PostRequest[];
  /** The first `warmup` requests are sent but not measured. */
  warmup: number;
  concurrency: number;
  /** Stop sending after this many measured seconds even if requests are left. */
  maxSeconds: number;
  /** Send all requests at once (concurrency = number of requests). */
  burst?: boolean;
  /**
   * Open loop: send at this many requests per second whatever the answers (at most
   * `concurrency` in flight); latency counts from the planned send time.
   */
  ratePerSecond?: number;
}

export interface PostLoadResult {
  /** Latency of each measured request in ms. */
  latencies: number[];
  /** From the first measured send to the last measured answer. */
  seconds: number;
  /** Measured answers by status (0 = transport error). */
  statuses: Record<string, number>;
  /** Warm-up answers by status. */
  warmupStatuses: Record<string, number>;
  /** Problem `type` of measured answers that were not 201, counted. */
  problems: Record<string, number>;
  samples: string[];
  timedOut: boolean;
  /** How many requests were sent (the rest of `requests` was not used). */
  sent: number;
}

export interface Answer {
  status: number;
  body: string;
}

/** One POST, its status and body. */
export function post(agent: http.Agent, url: URL, r: PostRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': Buffer.byteLength(r.body), ...r.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

// ---- lean HTTP/1.1 client -------------------------------------------------------------------

/** An answer from the lean client: the body is kept (undecoded) only when asked for. */
interface LeanAnswer {
  status: number;
  body?: Buffer;
  /** Transport error (status 0). */
  error?: string;
}

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

/** Request line, headers and body of one POST as the bytes to write. */
function serialise(url: URL, r: PostRequest): Buffer {
  // Same headers as post(); the request's own headers win, whatever their case.
  const headers = new Map<string, [string, string]>();
  const set = (name: string, value: string) => headers.set(name.toLowerCase(), [name, value]);
  set('Host', url.host);
  set('Content-Type', 'application/json');
  set('Accept', 'application/json');
  set('Content-Length', String(Buffer.byteLength(r.body)));
  for (const [name, value] of Object.entries(r.headers)) set(name, value);
  let head = `POST ${url.pathname}${url.search} HTTP/1.1\r\n`;
  for (const [name, value] of headers.values()) head += `${name}: ${value}\r\n`;
  return Buffer.from(`${head}\r\n${r.body}`);
}

const enum State {
  Head,
  Body,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailers,
  UntilClose,
}

/**
 * Incremental HTTP/1.1 response parser. Feed it the socket's chunks in order; it calls `done` once
 * per complete response, however the bytes were split (a response over many chunks, several in one).
 */
class ResponseParser {
  private state = State.Head;
  /** Bytes of an unfinished head, chunk-size line or trailer, carried to the next chunk. */
  private carry: Buffer | undefined;
  private status = 0;
  private close = false;
  /** Body bytes still to come in the current Content-Length body or chunk. */
  private remaining = 0;
  /** Body parts of the current response, when its body is wanted. */
  private parts: Buffer[] | undefined;

  constructor(
    private readonly wantBody: (status: number) => boolean,
    private readonly done: (answer: LeanAnswer, close: boolean) => void,
  ) {}

  push(chunk: Buffer): void {
    let data = chunk;
    if (this.carry) {
      data = Buffer.concat([this.carry, chunk]);
      this.carry = undefined;
    }
    let at = 0;
    while (at < data.length) {
      switch (this.state) {
        case State.Head: {
          const end = data.indexOf(HEAD_END, at);
          if (end < 0) return this.keep(data, at);
          this.head(data.toString('latin1', at, end));
          at = end + HEAD_END.length;
          break;
        }
        case State.Body:
        case State.ChunkData: {
          const n = Math.min(this.remaining, data.length - at);
          this.parts?.push(data.subarray(at, at + n));
          at += n;
          this.remaining -= n;
          if (this.remaining === 0) {
            if (this.state === State.Body) this.finish();
            else this.state = State.ChunkEnd;
          }
          break;
        }
        case State.ChunkSize: {
          const eol = data.indexOf(CRLF, at);
          if (eol < 0) return this.keep(data, at);
          // "1a3;ext=x" → 0x1a3; chunk extensions are ignored.
          const size = parseInt(data.toString('latin1', at, eol).split(';')[0], 16);
          if (!Number.isFinite(size) || size < 0) throw new Error('bad chunk size');
          at = eol + CRLF.length;
          this.remaining = size;
          this.state = size === 0 ? State.Trailers : State.ChunkData;
          break;
        }
        case State.ChunkEnd: {
          // The CRLF after a chunk's data.
          if (data.length - at < CRLF.length) return this.keep(data, at);
          at += CRLF.length;
          this.state = State.ChunkSize;
          break;
        }
        case State.Trailers: {
          // Trailer lines up to an empty line, ignored.
          const eol = data.indexOf(CRLF, at);
          if (eol < 0) return this.keep(data, at);
          if (eol === at) this.finish();
          at = eol + CRLF.length;
          break;
        }
        case State.UntilClose:
          this.parts?.push(data.subarray(at));
          at = data.length;
          break;
      }
    }
  }

  /** The connection ended: completes a body that runs until close. */
  end(): void {
    if (this.state === State.UntilClose) this.finish();
  }

  private keep(data: Buffer, at: number): void {
    this.carry = data.subarray(at);
  }

  /** Status line and headers (without the blank line); picks how the body is delimited. */
  private head(text: string): void {
    const lines = text.split('\r\n');
    // "HTTP/1.1 201 Created"
    const [version, code] = lines[0].split(' ', 2);
    this.status = Number(code);
    if (!version.startsWith('HTTP/') || !Number.isInteger(this.status)) throw new Error(`bad status line: ${lines[0].slice(0, 80)}`);
    let length: number | undefined;
    let chunked = false;
    this.close = version === 'HTTP/1.0';
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(':');
      if (colon <= 0) continue;
      const name = lines[i].slice(0, colon).trim().toLowerCase();
      const value = lines[i].slice(colon + 1).trim().toLowerCase();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') chunked = value.split(',').pop()?.trim() === 'chunked';
      else if (name === 'connection') {
        const tokens = value.split(',').map((t) => t.trim());
        if (tokens.includes('close')) this.close = true;
        else if (tokens.includes('keep-alive')) this.close = false;
      }
    }
    // 1xx: an interim answer (e.g. 100 Continue); the real one follows.
    if (this.status >= 100 && this.status < 200) return;
    this.parts = this.wantBody(this.status) ? [] : undefined;
    if (this.status === 204 || this.status === 304) this.finish();
    else if (chunked) this.state = State.ChunkSize;
    else if (length !== undefined) {
      if (!Number.isInteger(length) || length < 0) throw new Error('bad content-length');
      this.remaining = length;
      this.state = State.Body;
      if (length === 0) this.finish();
    } else {
      this.state = State.UntilClose;
      this.close = true;
    }
  }

  private finish(): void {
    const answer: LeanAnswer = { status: this.status };
    if (this.parts) answer.body = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    this.state = State.Head;
    this.parts = undefined;
    this.done(answer, this.close);
  }
}

/**
 * One keep-alive connection sending one request at a time. Connects on first use and again after
 * `Connection: close` or a transport error; a transport error answers status 0.
 */
class LeanConnection {
  private socket: net.Socket | undefined;
  private waiting: ((answer: LeanAnswer) => void) | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly wantBody: (status: number) => boolean,
  ) {}

  send(request: Buffer): Promise<LeanAnswer> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      (this.socket ?? this.open()).write(request);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private open(): net.Socket {
    // Writes made before the connection is up are queued by the socket.
    const socket = net.connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    const parser = new ResponseParser(this.wantBody, (answer, close) => {
      if (close) this.drop(socket);
      this.answer(answer);
    });
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      try {
        parser.push(chunk);
      } catch (error) {
        this.fail(socket, String(error));
      }
    });
    socket.on('error', (error) => this.fail(socket, String(error)));
    // Closed (by the server, or after an error): completes a body that runs until close; a request
    // still in flight on this socket fails.
    socket.on('close', () => {
      parser.end();
      this.fail(socket, 'Error: socket hang up');
    });
    return socket;
  }

  private answer(answer: LeanAnswer): void {
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.(answer); // an answer nobody asked for is ignored
  }

  private fail(socket: net.Socket, error: string): void {
    if (socket !== this.socket) return; // an old socket, already dropped
    this.drop(socket);
    this.answer({ status: 0, error });
  }

  /** Forgets the socket (the next send reconnects). */
  private drop(socket: net.Socket): void {
    socket.destroy();
    if (socket === this.socket) this.socket = undefined;
  }
}

// ---- the load -------------------------------------------------------------------------------

export async function runPostLoad(job: PostLoadJob): Promise<PostLoadResult> {
  const concurrency = job.burst ? job.requests.length : job.concurrency;
  const url = new URL(job.path, job.baseUrl);
  if (url.protocol !== 'http:') throw new Error(`only http: is supported, not ${url.protocol}`);
  // All requests as bytes before anything is measured.
  const wire = job.requests.map((r) => serialise(url, r));

  // Connections: idle ones are reused (last in, first out); at most one per request in flight,
  // so `concurrency` for the closed and the open loop, one per request for a burst.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || 80);
  const wantBody = (status: number) => status !== 201;
  const connections: LeanConnection[] = [];
  const idle: LeanConnection[] = [];
  const acquire = (): LeanConnection => {
    const c = idle.pop();
    if (c) return c;
    const fresh = new LeanConnection(host, port, wantBody);
    connections.push(fresh);
    return fresh;
  };

  const result: PostLoadResult = { latencies: [], seconds: 0, statuses: {}, warmupStatuses: {}, problems: {}, samples: [], timedOut: false, sent: 0 };
  let next = 0;
  let measuredStart = job.warmup === 0 ? performance.now() : 0;
  let measuredEnd = measuredStart;
  let deadline = job.warmup === 0 ? measuredStart + job.maxSeconds * 1000 : Infinity;

  let started = 0;
  const one = async (i: number, planned?: number) => {
    started++;
    const t0 = planned ?? performance.now();
    const connection = acquire();
    const answer = await connection.send(wire[i]);
    idle.push(connection);
    const ended = performance.now();
    if (i < job.warmup) {
      result.warmupStatuses[answer.status] = (result.warmupStatuses[answer.status] ?? 0) + 1;
      return;
    }
    result.latencies.push(ended - t0);
    if (ended > measuredEnd) measuredEnd = ended;
    result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
    if (answer.status !== 201) {
      // Only now is the body decoded.
      const body = answer.error ?? answer.body?.toString('utf8') ?? '';
      let type = `status ${answer.status}`;
      try {
        type = (JSON.parse(body) as { type?: string }).type ?? type;
      } catch {
        // not JSON
      }
      result.problems[type] = (result.problems[type] ?? 0) + 1;
      if (result.samples.length < 3 && (answer.status >= 500 || answer.status === 0 || !result.samples.some((s) => s.startsWith(String(answer.status))))) {
        result.samples.push(`${answer.status} ${body.slice(0, 240)}`);
      }
    }
  };
  if (job.burst) {
    measuredStart = performance.now();
    await Promise.all(job.requests.map((_, i) => one(i)));
  } else if (job.ratePerSecond) {
    const interval = 1000 / job.ratePerSecond;
    const t0 = performance.now();
    measuredStart = t0;
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < job.requests.length; i++) {
      const planned = t0 + i * interval;
      if (planned - t0 > job.maxSeconds * 1000) break;
      const wait = planned - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      const p = one(i, planned).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  } else {
    const loop = async () => {
      while (next < job.requests.length) {
        const i = next++;
        if (i === job.warmup) {
          measuredStart = performance.now();
          deadline = measuredStart + job.maxSeconds * 1000;
        }
        if (i >= job.warmup && performance.now() > deadline) {
          result.timedOut = true;
          return;
        }
        await one(i);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
  }
  // Indices are taken in order and every index taken before the deadline is sent: a prefix.
  result.sent = started;
  result.seconds = (measuredEnd - measuredStart) / 1000;
  for (const c of connections) c.close();
  return result;
}

interface WorkerAnswer {
  ok: boolean;
  result?: PostLoadResult;
  error?: string;
}

/**
 * Load workers between runs. A worker is kept (unref'd, so it does not keep the process alive)
 * and reused by the next run, so a run does not pay for starting a thread and compiling this
 * client again inside the phase it measures.
 */
const idleWorkers: Worker[] = [];

function startWorker(): Worker {
  const worker = new Worker(path.join(__dirname, 'booking-load.js'), { workerData: { loadWorker: true } });
  // A worker that dies while idle is not handed out again.
  worker.once('exit', () => {
    const at = idleWorkers.indexOf(worker);
    if (at >= 0) idleWorkers.splice(at, 1);
  });
  return worker;
}

/** Runs the load in a worker thread. */
export function postLoadInWorker(job: PostLoadJob): Promise<PostLoadResult> {
  return new Promise((resolve, reject) => {
    const worker = idleWorkers.pop() ?? startWorker();
    worker.ref();
    const settle = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (m: WorkerAnswer) => {
      settle();
      worker.unref();
      idleWorkers.push(worker);
      if (m.ok) resolve(m.result!);
      else reject(new Error(m.error));
    };
    const onError = (error: Error) => {
      settle();
      void worker.terminate();
      reject(error);
    };
    const onExit = (code: number) => {
      settle();
      reject(new Error(`load worker exited (${code})`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(job);
  });
}

if (!isMainThread && parentPort && (workerData as { loadWorker?: boolean } | undefined)?.loadWorker) {
  // One job at a time, as postLoadInWorker sends them.
  const port = parentPort;
  port.on('message', (job: PostLoadJob) => {
    runPostLoad(job).then(
      (result) => port.postMessage({ ok: true, result } satisfies WorkerAnswer),
      (error: unknown) => port.postMessage({ ok: false, error: String(error) } satisfies WorkerAnswer),
    );
  });
}
