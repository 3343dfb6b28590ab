import { exceedsJsonDepth } from './json-depth';

describe('exceedsJsonDepth', () => {
  it('counts nesting of arrays and objects', () => {
    expect(exceedsJsonDepth('[[[]]]', 3)).toBe(false);
    expect(exceedsJsonDepth('[[[[]]]]', 3)).toBe(true);
    expect(exceedsJsonDepth('{"a":{"b":[1]}}', 3)).toBe(false);
    expect(exceedsJsonDepth('{"a":{"b":[{}]}}', 3)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(exceedsJsonDepth(JSON.stringify({ a: '[[[[[[[[', b: 'x\\"[[[[[' }), 2)).toBe(false);
  });

  it('counts siblings once: depth, not the number of brackets', () => {
    expect(exceedsJsonDepth(JSON.stringify(Array.from({ length: 1000 }, () => [[1]])), 3)).toBe(false);
  });

  it('is cheap on a 200 KB hostile body', () => {
    const hostile = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(exceedsJsonDepth(hostile)).toBe(true);
  });
});
