/**
 * Limits how many booking transactions run at once in this process.
 *
 * A booking transaction holds one pooled connection while the slot re-check (SlotsService,
 * LocationsService, TutorsService) reads through other pooled connections. If every connection
 * of the pool were held by such a transaction, each would wait for a free one forever. Keeping
 * the number of open booking transactions below the pool size leaves connections for those reads.
 */
export class TransactionGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  }

  /** Pool size p → p − 2 transactions at once (at least 1). */
  static forPool(poolSize: number): TransactionGate {
    return new TransactionGate(Math.max(1, poolSize - 2));
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // hands the place over: `active` stays the same
      else this.active--;
    }
  }
}
