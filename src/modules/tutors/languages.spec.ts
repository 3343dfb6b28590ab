import { ISO_639_1, isLanguageCode } from './languages';

describe('ISO 639-1 languages', () => {
  it('holds the 183 current codes, each two lowercase letters', () => {
    expect(ISO_639_1.size).toBe(183);
    for (const code of ISO_639_1) expect(code).toMatch(/^[a-z]{2}$/);
  });

  it('knows the languages Finnish libraries serve', () => {
    for (const code of ['fi', 'sv', 'en', 'se', 'ru', 'et', 'ar', 'so', 'uk', 'fa', 'ku']) expect(isLanguageCode(code)).toBe(true);
  });

  it('rejects made-up, three-letter, upper-case and withdrawn codes', () => {
    for (const code of ['xx', 'zz', 'fin', 'FI', 'f', '', 'sh', 'mo', 'smn']) expect(isLanguageCode(code)).toBe(false);
  });
});
