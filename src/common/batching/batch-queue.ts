/** How a BatchQueue sends its work. */
export interface BatchRunner<C, R> {
  /** Decides calls together, answering in their order; all or nothing. */
  many(calls: C[]): Promise<R[]>;
  /** Whether this error from `many` proves that none of its calls was decided (then each is decided alone). */
  undone(error: unknown): boolean;
  /** Decides one call alone, outside the queue (after a batch failed that way). */
  one(call: C): Promise<R>;
}

export interface BatchQueueOptions {
  /** At most this many batches in flight at once. */
  maxInFlight: number;
  /** At most this many calls in one batch; 1 sends every call alone. */
  maxBatch: number;
}

interface Waiting<C, R> {
  call: C;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Opportunistic batching, in submission order: a call is sent at once when fewer than
 * `maxInFlight` batches are in flight; otherwise it waits, and when a batch comes back, everything
 * that waited meanwhile (up to `maxBatch`) goes out together, before the callers of the batch that
 * came back are answered (their work would delay it). Nothing waits for a timer, so an idle
 * service answers as fast as without batching; a busy one pays the per-send cost once per batch.
 *
 * When a batch fails with an error that proves nothing was decided (`undone`: PostgreSQL
 * reported the statement's error, so its transaction rolled back), each of its calls is decided
 * alone with `one`, concurrently and outside the queue, so one call's error reaches only its own
 * caller and a call that must wait holds up nobody else. Any other error (say the connection
 * broke, perhaps after the commit) reaches every caller of the batch: deciding those calls again
 * could book a resident twice.
 */
export class BatchQueue<C, R> {
  private readonly waiting: Waiting<C, R>[] = [];
  private inFlight = 0;

  constructor(
    private readonly runner: BatchRunner<C, R>,
    private readonly options: BatchQueueOptions,
  ) {
    if (!(options.maxInFlight >= 1 && options.maxBatch >= 1)) throw new RangeError('BatchQueue: maxInFlight and maxBatch must be at least 1');
  }

  submit(call: C): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ call, resolve, reject });
      this.pump();
    });
  }

  /** Calls waiting for a send (for tests and diagnostics). */
  get queued(): number {
    return this.waiting.length;
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.send(batch);
    }
  }

  private async send(batch: Waiting<C, R>[]): Promise<void> {
    let results: R[] | undefined;
    let failure: unknown;
    try {
      results = await this.runner.many(batch.map((w) => w.call));
      if (results.length !== batch.length) throw new Error(`BatchQueue: ${batch.length} calls answered with ${results.length} results`);
    } catch (error) {
      results = undefined;
      failure = error;
    }
    this.inFlight--;
    this.pump();
    if (results !== undefined) {
      batch.forEach((w, i) => w.resolve(results[i]));
    } else if (this.runner.undone(failure)) {
      for (const w of batch) this.runner.one(w.call).then(w.resolve, w.reject);
    } else {
      for (const w of batch) w.reject(failure);
    }
  }
}
