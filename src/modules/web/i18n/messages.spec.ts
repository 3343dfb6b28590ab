import { CATALOGUES, LANGUAGES, translator } from './messages';

describe('message catalogues', () => {
  const reference = Object.keys(CATALOGUES.fi).sort();

  it.each(LANGUAGES)('%s has exactly the keys of fi, none of them empty', (lang) => {
    const catalogue = CATALOGUES[lang];
    expect(Object.keys(catalogue).sort()).toEqual(reference);
    const empty = Object.entries(catalogue).filter(([, text]) => text.trim() === '');
    expect(empty).toEqual([]);
  });

  it.each(LANGUAGES)('%s uses the same {placeholders} as fi in every text', (lang) => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const differing = reference.filter((key) => {
      const k = key as keyof typeof CATALOGUES.fi;
      return names(CATALOGUES[lang][k]).join() !== names(CATALOGUES.fi[k]).join();
    });
    expect(differing).toEqual([]);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translator('fi')('step.of', { n: 2 })).toBe('Vaihe 2/6');
    expect(translator('en')('step.of')).toBe('Step {n} of 6');
  });
});
