import { newReference, normalizeReference, REFERENCE_ALPHABET, REFERENCE_PATTERN } from './reference';

describe('booking references', () => {
  it('use only unambiguous characters: no 0, O, 1, I or L', () => {
    expect(REFERENCE_ALPHABET).not.toMatch(/[0O1IL]/);
    expect(new Set(REFERENCE_ALPHABET).size).toBe(REFERENCE_ALPHABET.length);
    for (let i = 0; i < 2000; i++) {
      const ref = newReference();
      expect(ref).toMatch(REFERENCE_PATTERN);
      expect(ref).not.toMatch(/[0O1IL]/);
    }
  });

  it('fits the database CHECK and spreads over the whole alphabet', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) for (const c of newReference().replace('-', '')) seen.add(c);
    expect(seen.size).toBe(REFERENCE_ALPHABET.length);
    expect(newReference(() => 0)).toBe('222-222');
    expect(newReference((n) => n - 1)).toBe('ZZZ-ZZZ');
    expect(newReference()).toMatch(/^[A-Z0-9]{3}-[A-Z0-9]{3}$/);
  });

  it('reads what people type', () => {
    expect(normalizeReference('k7m 4qx')).toBe('K7M-4QX');
    expect(normalizeReference('K7M-4QX')).toBe('K7M-4QX');
    expect(normalizeReference('K7M-4Q0')).toBeUndefined();
    expect(normalizeReference('K7M-4Q')).toBeUndefined();
  });
});
