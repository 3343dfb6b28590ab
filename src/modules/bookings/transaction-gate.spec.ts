import { TransactionGate } from './transaction-gate';

const tick = () => new Promise((r) => setImmediate(r));

describe('TransactionGate', () => {
  it('never runs more than its limit at once, and runs everything', async () => {
    const gate = new TransactionGate(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        gate.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await tick();
          await tick();
          running--;
          return i;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('frees its place when the work fails', async () => {
    const gate = new TransactionGate(1);
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(async () => 'next')).resolves.toBe('next');
  });

  it('sizes itself below the pool', () => {
    expect(TransactionGate.forPool(10).limit).toBe(8);
    expect(TransactionGate.forPool(2).limit).toBe(1);
    expect(TransactionGate.forPool(1).limit).toBe(1);
    expect(() => new TransactionGate(0)).toThrow(RangeError);
  });
});
