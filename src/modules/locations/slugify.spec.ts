import { slugify } from './slugify';

describe('slugify', () => {
  it('folds Finnish and Swedish letters and punctuation', () => {
    expect(slugify('Kouvolan pääkirjasto')).toBe('kouvolan-paakirjasto');
    expect(slugify('  Åbo stadsbibliotek / Huvudbiblioteket!  ')).toBe('abo-stadsbibliotek-huvudbiblioteket');
    expect(slugify('Kirjasto 10')).toBe('kirjasto-10');
  });

  it('never gives an empty slug or a trailing hyphen after cutting', () => {
    expect(slugify('!!!')).toBe('location');
    expect(slugify('abc def', 4)).toBe('abc');
    expect(slugify('a'.repeat(200))).toHaveLength(100);
  });
});
