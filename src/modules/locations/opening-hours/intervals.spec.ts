import fc from 'fast-check';
import { clip, normalize, subtract } from './intervals';

const interval = fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 200 })).map(([s, len]) => ({ start: s, end: s + len }));
const covered = (list: { start: number; end: number }[], x: number) => list.some((i) => i.start <= x && x < i.end);

describe('intervals', () => {
  it('normalize merges overlapping and touching intervals and drops empty ones', () => {
    expect(
      normalize([
        { start: 5, end: 7 },
        { start: 1, end: 3 },
        { start: 3, end: 4 },
        { start: 6, end: 9 },
        { start: 10, end: 10 },
      ]),
    ).toEqual([
      { start: 1, end: 4 },
      { start: 5, end: 9 },
    ]);
  });

  it('subtract cuts holes and trims ends', () => {
    expect(subtract([{ start: 0, end: 10 }], [{ start: 3, end: 5 }, { start: 8, end: 20 }])).toEqual([
      { start: 0, end: 3 },
      { start: 5, end: 8 },
    ]);
    expect(subtract([{ start: 0, end: 10 }], [{ start: -5, end: 15 }])).toEqual([]);
  });

  it('clip keeps what lies inside the window', () => {
    expect(clip([{ start: 0, end: 10 }, { start: 20, end: 30 }], 5, 25)).toEqual([
      { start: 5, end: 10 },
      { start: 20, end: 25 },
    ]);
  });

  it('subtract covers exactly the points of the input outside every cut (property)', () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 6 }), fc.array(interval, { maxLength: 6 }), fc.integer({ min: 0, max: 1300 }), (input, cuts, x) => {
        const result = subtract(input, cuts);
        expect(covered(result, x)).toBe(covered(input, x) && !covered(cuts, x));
        for (let i = 1; i < result.length; i++) expect(result[i].start).toBeGreaterThan(result[i - 1].end - 1);
      }),
    );
  });
});
