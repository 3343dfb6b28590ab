import http from 'node:http';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/**
 * A small closed-loop HTTP load generator: `concurrency` keep-alive connections, each sending its
 * next GET as soon as the previous answer is read. Runs in a worker thread so its own work does
 * not sit in the server's event loop.
 */

export interface LoadJob {
  baseUrl: string;
  /** Paths requested in order (round-robin over the connections); the first `warmup` are not measured. */
  paths: string[];
  warmup: number;
  concurrency: number;
  /** Stop measuring after this many seconds even if paths are left. */
  maxSeconds: number;
  /** Accept header; default application/json. */
  accept?: string;
  /** For answers that are not JSON (pages): a 200 answer counts as non-empty when its body contains this text. */
  marker?: string;
}

export interface LoadResult {
  /** Latency of each measured request in ms. */
  latencies: number[];
  /** The index in `paths` of each measured request (same order as `latencies`). */
  pathIndexes: number[];
  /** The indexes in `paths` of the measured requests answered other than 200 or without items. */
  failedIndexes: number[];
  seconds: number;
  non200: number;
  empty: number;
  /** First few unexpected answers, for the report. */
  samples: string[];
  timedOut: boolean;
}

interface Answer {
  status: number;
  body: string;
}

function get(agent: http.Agent, url: URL, accept: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { accept } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/**
 * Whether a page has items, cheaply: the server writes `{"items":[` first, so a non-empty list
 * starts with `{"items":[{`. Anything else is parsed in full.
 */
function itemCount(body: string): number {
  if (body.startsWith('{"items":[{')) return 1;
  if (body.startsWith('{"items":[]')) return 0;
  try {
    return (JSON.parse(body) as { items: unknown[] }).items.length;
  } catch {
    return -1;
  }
}

async function runLoad(job: LoadJob): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const result: LoadResult = { latencies: [], pathIndexes: [], failedIndexes: [], seconds: 0, non200: 0, empty: 0, samples: [], timedOut: false };
  let next = 0;
  let measuredStart = 0;
  let deadline = Infinity;
  const loop = async () => {
    while (next < job.paths.length) {
      const i = next++;
      if (i === job.warmup) {
        measuredStart = performance.now();
        deadline = measuredStart + job.maxSeconds * 1000;
      }
      if (i >= job.warmup && performance.now() > deadline) {
        result.timedOut = true;
        return;
      }
      const started = performance.now();
      let answer: Answer;
      try {
        answer = await get(agent, new URL(job.paths[i], job.baseUrl), job.accept ?? 'application/json');
      } catch (error) {
        answer = { status: 0, body: String(error) };
      }
      const ms = performance.now() - started;
      if (i < job.warmup) continue;
      result.latencies.push(ms);
      result.pathIndexes.push(i);
      const page = job.marker !== undefined && !answer.body.startsWith('{');
      const items = answer.status !== 200 ? -1 : page ? Number(answer.body.includes(job.marker!)) : itemCount(answer.body);
      if (answer.status !== 200) result.non200++;
      else if (!(items > 0)) result.empty++;
      if (!(items > 0)) result.failedIndexes.push(i);
      if ((answer.status !== 200 || !(items > 0)) && result.samples.length < 3) {
        result.samples.push(`${answer.status} ${job.paths[i]} ${answer.body.slice(0, 200)}`);
      }
    }
  };
  if (job.warmup === 0) {
    measuredStart = performance.now();
    deadline = measuredStart + job.maxSeconds * 1000;
  }
  await Promise.all(Array.from({ length: job.concurrency }, loop));
  result.seconds = (performance.now() - measuredStart) / 1000;
  agent.destroy();
  return result;
}

/** Runs the load in a worker thread of its own. */
export function getLoadInWorker(job: LoadJob): Promise<LoadResult> {
  return new Promise<LoadResult>((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'get-load.js'), { workerData: { getLoadJob: job } });
    worker.once('message', (m: { ok: boolean; result?: LoadResult; error?: string }) => (m.ok ? resolve(m.result!) : reject(new Error(m.error))));
    worker.once('error', reject);
  });
}

const job = (workerData as { getLoadJob?: LoadJob } | undefined)?.getLoadJob;
if (!isMainThread && parentPort && job) {
  const port = parentPort;
  runLoad(job).then(
    (result) => port.postMessage({ ok: true, result }),
    (error: unknown) => port.postMessage({ ok: false, error: String(error) }),
  );
}
