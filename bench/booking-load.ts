import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import path from 'node:path';

/**
 * Closed-loop POST load for the booking benchmark: `concurrency` keep-alive connections, each
 * sending its next request as soon as the previous answer is read; or, with `burst`, every
 * request at once (the one-slot stampede). Runs in a worker thread so the client's own work
 * does not sit in the event loop of the app it measures.
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

export async function runPostLoad(job: PostLoadJob): Promise<PostLoadResult> {
  const concurrency = job.burst ? job.requests.length : job.concurrency;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(job.path, job.baseUrl);
  const result: PostLoadResult = { latencies: [], seconds: 0, statuses: {}, warmupStatuses: {}, problems: {}, samples: [], timedOut: false, sent: 0 };
  let next = 0;
  let measuredStart = job.warmup === 0 ? performance.now() : 0;
  let measuredEnd = measuredStart;
  let deadline = job.warmup === 0 ? measuredStart + job.maxSeconds * 1000 : Infinity;

  let started = 0;
  const one = async (i: number, planned?: number) => {
    started++;
    const t0 = planned ?? performance.now();
    let answer: Answer;
    try {
      answer = await post(agent, url, job.requests[i]);
    } catch (error) {
      answer = { status: 0, body: String(error) };
    }
    const ended = performance.now();
    if (i < job.warmup) {
      result.warmupStatuses[answer.status] = (result.warmupStatuses[answer.status] ?? 0) + 1;
      return;
    }
    result.latencies.push(ended - t0);
    if (ended > measuredEnd) measuredEnd = ended;
    result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
    if (answer.status !== 201) {
      let type = `status ${answer.status}`;
      try {
        type = (JSON.parse(answer.body) as { type?: string }).type ?? type;
      } catch {
        // not JSON
      }
      result.problems[type] = (result.problems[type] ?? 0) + 1;
      if (result.samples.length < 3 && (answer.status >= 500 || answer.status === 0 || !result.samples.some((s) => s.startsWith(String(answer.status))))) {
        result.samples.push(`${answer.status} ${answer.body.slice(0, 240)}`);
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
  agent.destroy();
  return result;
}

/** Runs the load in a worker thread. */
export function postLoadInWorker(job: PostLoadJob): Promise<PostLoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'booking-load.js'), { workerData: job });
    worker.once('message', (m: { ok: boolean; result?: PostLoadResult; error?: string }) => {
      void worker.terminate();
      if (m.ok) resolve(m.result!);
      else reject(new Error(m.error));
    });
    worker.once('error', reject);
  });
}

if (!isMainThread && parentPort && (workerData as PostLoadJob | undefined)?.requests) {
  const port = parentPort;
  runPostLoad(workerData as PostLoadJob).then(
    (result) => port.postMessage({ ok: true, result }),
    (error: unknown) => port.postMessage({ ok: false, error: String(error) }),
  );
}
