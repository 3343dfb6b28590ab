import { randomBytesPooled } from './random';

describe('randomBytesPooled', () => {
  it('hands out the sizes asked for, never the same bytes twice, across refills', () => {
    const seen = new Set<string>();
    let total = 0;
    for (let i = 0; i < 2000; i++) {
      const size = [12, 32, 1, 100][i % 4];
      const bytes = randomBytesPooled(size);
      expect(bytes).toHaveLength(size);
      total += size;
      if (size >= 12) {
        const hex = bytes.toString('hex');
        expect(seen.has(hex)).toBe(false);
        seen.add(hex);
      }
    }
    // More than a dozen pools' worth: refills happened.
    expect(total).toBeGreaterThan(12 * 4096);
  });

  it('gives each caller its own copy', () => {
    const a = randomBytesPooled(32);
    const copy = Buffer.from(a);
    randomBytesPooled(4000);
    randomBytesPooled(4000);
    expect(a.equals(copy)).toBe(true);
  });

  it('looks random: every byte value turns up, none far too often', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 64; i++) for (const b of randomBytesPooled(4096)) counts[b]++;
    // 262,144 bytes: 1,024 expected per value; ±25 % is over 15 standard deviations.
    expect(Math.min(...counts)).toBeGreaterThan(768);
    expect(Math.max(...counts)).toBeLessThan(1280);
  });

  it.each([-1, 1.5, 4097, Number.NaN])('refuses the size %p', (size) => {
    expect(() => randomBytesPooled(size)).toThrow(RangeError);
  });
});
