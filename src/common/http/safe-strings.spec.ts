import { isUnsafeString, unsafeStringFields } from './safe-strings';

describe('unsafe strings', () => {
  it('finds NUL and lone surrogates, keeps paired ones', () => {
    expect(isUnsafeString('a\u0000b')).toBe(true);
    expect(isUnsafeString('\ud800@x.fi')).toBe(true);
    expect(isUnsafeString('x\udc00')).toBe(true);
    expect(isUnsafeString('😀 ok')).toBe(false);
    expect(isUnsafeString('Ääkkönen')).toBe(false);
  });

  it('names the field of every unsafe value, nested and in lists', () => {
    expect(unsafeStringFields({ email: 'a\u0000b', resident: { name: 'ok', notes: ['x', '\ud800'] } })).toEqual(['email', 'resident.notes.1']);
    expect(unsafeStringFields({ ['bad\u0000key']: 1 })).toEqual(['(body)']);
    expect(unsafeStringFields({ ok: 1, n: null })).toEqual([]);
  });
});
