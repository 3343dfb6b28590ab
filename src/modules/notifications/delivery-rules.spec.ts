import { retryDelayMs, safeError } from './delivery-rules';

describe('delivery rules', () => {
  it('waits longer after each failure, at most six hours', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => retryDelayMs(n) / 60_000)).toEqual([1, 4, 16, 64, 256, 360, 360]);
  });

  it('keeps no address or number of the recipient in a stored error', () => {
    expect(safeError(new Error('550 5.1.1 <aino.virtanen@example.fi>: Recipient address rejected'))).toBe('550 5.1.1 <[address]>: Recipient address rejected');
    expect(safeError(new Error('Invalid number +358 40 123 4567 for route'))).toBe('Invalid number [number] for route');
    expect(safeError(Object.assign(new Error('refused'), { name: 'SMTPError' }))).toBe('SMTPError: refused');
    expect(safeError('x'.repeat(900))).toHaveLength(500);
  });
});
