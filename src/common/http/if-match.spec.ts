import { assertIfMatch, etagOf } from './if-match';

describe('If-Match', () => {
  it('passes without the header, with *, and with the current ETag among others', () => {
    expect(() => assertIfMatch(undefined, 3)).not.toThrow();
    expect(() => assertIfMatch('*', 3)).not.toThrow();
    expect(() => assertIfMatch(`"2", ${etagOf(3)}`, 3)).not.toThrow();
    expect(() => assertIfMatch('W/"3"', 3)).not.toThrow();
  });

  it('fails with version-mismatch on an older ETag', () => {
    expect(() => assertIfMatch('"2"', 3)).toThrow(expect.objectContaining({ code: 'version-mismatch', status: 412 }));
  });
});
