import { contentTag } from './content-etag';

describe('contentTag', () => {
  it('is the same for equal content whatever the key order, different otherwise', () => {
    expect(contentTag({ a: 1, b: [1, 2] })).toBe(contentTag({ b: [1, 2], a: 1 }));
    expect(contentTag({ a: 1, b: [1, 2] })).not.toBe(contentTag({ a: 1, b: [2, 1] }));
    expect(contentTag({ periods: [] })).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
