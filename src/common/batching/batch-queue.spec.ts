import { BatchQueue, BatchRunner } from './batch-queue';

/** A runner whose sends are answered by the test, one at a time, so the queue's choices can be seen. */
class ScriptedRunner implements BatchRunner<string, string> {
  readonly sent: string[][] = [];
  readonly alone: string[] = [];
  readonly log: string[] = [];
  private readonly pending: { resolve(r: string[]): void; reject(e: unknown): void }[] = [];
  private readonly alonePending = new Map<string, { resolve(r: string): void; reject(e: unknown): void }>();

  many(calls: string[]): Promise<string[]> {
    this.sent.push(calls);
    this.log.push(`send ${calls.join(',')}`);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }

  undone(error: unknown): boolean {
    return (error as { undone?: boolean }).undone === true;
  }

  one(call: string): Promise<string> {
    this.alone.push(call);
    return new Promise((resolve, reject) => this.alonePending.set(call, { resolve, reject }));
  }

  /** Answers the oldest send still open. */
  answer(results: (calls: string[]) => string[]): void {
    const calls = this.sent[this.sent.length - this.pending.length];
    this.pending.shift()!.resolve(results(calls));
  }

  fail(error: unknown): void {
    this.pending.shift()!.reject(error);
  }

  answerAlone(call: string, result: string | Error): void {
    const p = this.alonePending.get(call)!;
    if (result instanceof Error) p.reject(result);
    else p.resolve(result);
  }

  get open(): number {
    return this.pending.length;
  }
}

const settled = () => new Promise((r) => setImmediate(r));
const upper = (calls: string[]) => calls.map((c) => c.toUpperCase());

describe('BatchQueue', () => {
  it('sends a call at once when nothing is in flight, and batches in order what queued meanwhile', async () => {
    const runner = new ScriptedRunner();
    const q = new BatchQueue(runner, { maxInFlight: 1, maxBatch: 16 });
    const a = q.submit('a');
    const rest = ['b', 'c', 'd'].map((c) => q.submit(c));
    expect(runner.sent).toEqual([['a']]);
    expect(q.queued).toBe(3);

    runner.answer(upper);
    expect(await a).toBe('A');
    expect(runner.sent).toEqual([['a'], ['b', 'c', 'd']]);
    runner.answer(upper);
    expect(await Promise.all(rest)).toEqual(['B', 'C', 'D']);
    expect(q.queued).toBe(0);
  });

  it('never has more than maxInFlight sends open, nor more than maxBatch calls in one', async () => {
    const runner = new ScriptedRunner();
    const q = new BatchQueue(runner, { maxInFlight: 2, maxBatch: 3 });
    const all = 'abcdefghij'.split('').map((c) => q.submit(c));
    expect(runner.sent).toEqual([['a'], ['b']]);
    while (runner.open > 0) {
      expect(runner.open).toBeLessThanOrEqual(2);
      runner.answer(upper);
      await settled();
    }
    expect(runner.sent).toEqual([['a'], ['b'], ['c', 'd', 'e'], ['f', 'g', 'h'], ['i', 'j']]);
    expect(await Promise.all(all)).toEqual('ABCDEFGHIJ'.split(''));
  });

  it('sends what waited before it answers the callers of the batch that came back', async () => {
    const runner = new ScriptedRunner();
    const q = new BatchQueue(runner, { maxInFlight: 1, maxBatch: 16 });
    void q.submit('a').then((r) => runner.log.push(`answered ${r}`));
    void q.submit('b').then((r) => runner.log.push(`answered ${r}`));
    runner.answer(upper);
    await settled();
    expect(runner.log).toEqual(['send a', 'send b', 'answered A']);
  });

  it('after a batch the database undid, decides each call alone so an error reaches only its caller', async () => {
    const runner = new ScriptedRunner();
    const q = new BatchQueue(runner, { maxInFlight: 1, maxBatch: 16 });
    const first = q.submit('first');
    const batch = ['b', 'bad', 'c'].map((c) => q.submit(c).then((r) => `ok ${r}`, (e: Error) => `error ${e.message}`));
    runner.answer(upper);
    await first;
    runner.fail(Object.assign(new Error('foreign key'), { undone: true }));
    await settled();
    expect(runner.alone).toEqual(['b', 'bad', 'c']);
    // The queue is free again while those are decided: a new call goes out at once.
    const later = q.submit('later');
    expect(runner.sent.at(-1)).toEqual(['later']);
    runner.answerAlone('b', 'B');
    runner.answerAlone('bad', new Error('violates foreign key'));
    runner.answerAlone('c', 'C');
    expect(await Promise.all(batch)).toEqual(['ok B', 'error violates foreign key', 'ok C']);
    runner.answer(upper);
    expect(await later).toBe('LATER');
  });

  it.each([
    ['the connection broke (the batch may have committed)', (r: ScriptedRunner) => r.fail(new Error('connection terminated')), 'connection terminated'],
    ['an answer with the wrong number of results', (r: ScriptedRunner) => r.answer(() => ['X']), '2 calls answered with 1 results'],
  ])('gives every caller the error, deciding nothing again, after %s; and goes on', async (_, breakIt, message) => {
    const runner = new ScriptedRunner();
    const q = new BatchQueue(runner, { maxInFlight: 1, maxBatch: 16 });
    const first = q.submit('first');
    const batch = ['x', 'y'].map((c) => q.submit(c));
    runner.answer(upper);
    await first;
    breakIt(runner);
    await expect(batch[0]).rejects.toThrow(message);
    await expect(batch[1]).rejects.toThrow(message);
    expect(runner.alone).toEqual([]);
    const next = q.submit('z');
    runner.answer(upper);
    expect(await next).toBe('Z');
  });

  it('with maxBatch 1 sends every call alone', async () => {
    const runner = new ScriptedRunner();
    const q = new BatchQueue(runner, { maxInFlight: 1, maxBatch: 1 });
    const all = ['a', 'b', 'c'].map((c) => q.submit(c));
    for (let i = 0; i < 3; i++) {
      runner.answer(upper);
      await settled();
    }
    expect(runner.sent).toEqual([['a'], ['b'], ['c']]);
    expect(await Promise.all(all)).toEqual(['A', 'B', 'C']);
  });

  it('refuses limits below one', () => {
    expect(() => new BatchQueue(new ScriptedRunner(), { maxInFlight: 0, maxBatch: 4 })).toThrow(RangeError);
    expect(() => new BatchQueue(new ScriptedRunner(), { maxInFlight: 1, maxBatch: 0 })).toThrow(RangeError);
  });
});
