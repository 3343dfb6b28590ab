import { chooseLanguage, CsrfTokens, parseCookies, serializeCookie } from './http';

describe('cookies', () => {
  it('parses pairs, keeps the first of a repeated name and skips broken ones', () => {
    expect(parseCookies('a=1; b=x%20y; a=2; broken; c=%E0')).toEqual({ a: '1', b: 'x y' });
    expect(parseCookies(undefined)).toEqual({});
  });

  it('writes HttpOnly SameSite=Lax cookies, Secure on https', () => {
    expect(serializeCookie('n', 'v v', { secure: false, maxAgeSeconds: 60 })).toBe('n=v%20v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60');
    expect(serializeCookie('n', 'v', { secure: true })).toBe('n=v; Path=/; HttpOnly; SameSite=Lax; Secure');
  });
});

describe('chooseLanguage', () => {
  it('prefers the remembered language', () => {
    expect(chooseLanguage('sv', 'en')).toBe('sv');
  });
  it('takes the best supported Accept-Language, by q-value', () => {
    expect(chooseLanguage(undefined, 'de-DE, sv-FI;q=0.8, en;q=0.9')).toBe('en');
    expect(chooseLanguage(undefined, 'sv-FI,fi;q=0.5')).toBe('sv');
    expect(chooseLanguage('xx', 'en;q=0, de')).toBe('fi');
  });
  it('defaults to Finnish', () => {
    expect(chooseLanguage(undefined, undefined)).toBe('fi');
  });
});

describe('CsrfTokens', () => {
  const csrf = new CsrfTokens(Buffer.alloc(32, 7));
  const cookie = CsrfTokens.newCookieValue();

  it('accepts the token made for the cookie', () => {
    expect(csrf.matches(cookie, csrf.tokenFor(cookie))).toBe(true);
  });
  it('refuses a missing cookie, another cookie’s token, another key’s token and non-strings', () => {
    expect(csrf.matches(undefined, csrf.tokenFor(cookie))).toBe(false);
    expect(csrf.matches(CsrfTokens.newCookieValue(), csrf.tokenFor(cookie))).toBe(false);
    expect(csrf.matches(cookie, new CsrfTokens(Buffer.alloc(32, 8)).tokenFor(cookie))).toBe(false);
    expect(csrf.matches(cookie, ['x'])).toBe(false);
    expect(csrf.matches(cookie, '')).toBe(false);
  });
});
