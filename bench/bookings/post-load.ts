import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import path from 'node:path';
import { LeanConnection, PostRequest, serialise } from './lean-http-client';

export type { PostRequest } from './lean-http-client';

/**
 * POST load for the booking benchmark, through the lean client: closed loop (`concurrency`
 * keep-alive connections, each sending its next request as soon as the previous answer is
 * read), open loop (`ratePerSecond`), or a burst (every request at once: the one-slot stampede).
 * Runs in a worker thread so the client's own work does not sit in the event loop of the app it
 * measures. Every answer is measured: a warm-up is a load of its own.
 */

export interface PostLoadJob {
  baseUrl: string;
  path: string;
  requests: PostRequest[];
  concurrency: number;
  /** Stop sending after this many seconds even if requests are left. */
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
  /** Latency of each request in ms. */
  latencies: number[];
  /** From the first send to the last answer. */
  seconds: number;
  /** Answers by status (0 = transport error). */
  statuses: Record<string, number>;
  /** Problem `type` of answers that were not 201, counted. */
  problems: Record<string, number>;
  samples: string[];
  /** How many requests were sent (the rest of `requests` was not used). */
  sent: number;
}

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

  const result: PostLoadResult = { latencies: [], seconds: 0, statuses: {}, problems: {}, samples: [], sent: 0 };
  const measuredStart = performance.now();
  let measuredEnd = measuredStart;
  const deadline = measuredStart + job.maxSeconds * 1000;

  const one = async (i: number, planned?: number) => {
    result.sent++;
    const t0 = planned ?? performance.now();
    const connection = acquire();
    const answer = await connection.send(wire[i]);
    idle.push(connection);
    const ended = performance.now();
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
    await Promise.all(job.requests.map((_, i) => one(i)));
  } else if (job.ratePerSecond) {
    const interval = 1000 / job.ratePerSecond;
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < job.requests.length; i++) {
      const planned = measuredStart + i * interval;
      if (planned > deadline) break;
      const wait = planned - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      const p = one(i, planned).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  } else {
    // Indices are taken in order and every index taken before the deadline is sent: a prefix.
    let next = 0;
    const loop = async () => {
      while (next < job.requests.length && performance.now() <= deadline) await one(next++);
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
  }
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
  const worker = new Worker(path.join(__dirname, 'post-load.js'), { workerData: { loadWorker: true } });
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
