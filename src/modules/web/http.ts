import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Language, LANGUAGES } from './i18n/messages';

/** Cookie names of the resident pages (all HttpOnly; see docs/pages.md). */
export const COOKIES = { language: 'tukiaika_lang', csrf: 'tukiaika_csrf', manage: 'tukiaika_manage' } as const;

/** Parses a Cookie header; a malformed pair is skipped. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      out[name] ??= decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // a broken escape: ignore the cookie
    }
  }
  return out;
}

export interface CookieOptions {
  maxAgeSeconds?: number;
  secure: boolean;
}

/** One Set-Cookie value: HttpOnly, SameSite=Lax, path /. */
export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    ...(o.maxAgeSeconds !== undefined ? [`Max-Age=${o.maxAgeSeconds}`] : []),
    ...(o.secure ? ['Secure'] : []),
  ].join('; ');
}

/**
 * The language for `/`: the remembered cookie, else the first of fi/sv/en in Accept-Language
 * (by q-value), else Finnish.
 */
export function chooseLanguage(cookie: string | undefined, acceptLanguage: string | undefined): Language {
  if (cookie && (LANGUAGES as readonly string[]).includes(cookie)) return cookie as Language;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((entry, index) => {
      const [tag, ...params] = entry.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { base: tag.split('-')[0], q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((e) => e.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return (ranked.find((e) => (LANGUAGES as readonly string[]).includes(e.base))?.base as Language | undefined) ?? 'fi';
}

/**
 * CSRF protection by a signed double submit: the browser holds a random value in an HttpOnly
 * cookie; every form carries HMAC(key, that value). A cross-site page can neither read the
 * cookie nor compute the token, and the key (derived from the auth secret) never leaves the server.
 */
export class CsrfTokens {
  constructor(private readonly key: Buffer) {}

  static newCookieValue(): string {
    return randomBytes(32).toString('base64url');
  }

  tokenFor(cookieValue: string): string {
    return createHmac('sha256', this.key).update(cookieValue).digest('base64url');
  }

  matches(cookieValue: string | undefined, token: unknown): boolean {
    if (!cookieValue || typeof token !== 'string') return false;
    const expected = Buffer.from(this.tokenFor(cookieValue));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
