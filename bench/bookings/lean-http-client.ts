import net from 'node:net';

/**
 * A minimal HTTP/1.1 client on plain sockets, for the booking load: every request is serialised
 * into one Buffer before the run, and answers are parsed just enough to get the status and, when
 * asked for, the body. The app shares the machine's cores with the load generator, so every CPU
 * ms spent here is taken from the app.
 */

export interface PostRequest {
  body: string;
  headers: Record<string, string>;
}

/** An answer from the lean client: the body is kept (undecoded) only when asked for. */
export interface LeanAnswer {
  status: number;
  body?: Buffer;
  /** Transport error (status 0). */
  error?: string;
}

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

/** Request line, headers and body of one POST as the bytes to write. */
export function serialise(url: URL, r: PostRequest): Buffer {
  // The request's own headers win, whatever their case.
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
export class LeanConnection {
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
