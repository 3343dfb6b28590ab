import type { Language, Translate } from '../i18n/messages';

/** What every page needs from the request. */
export interface PageContext {
  lang: Language;
  t: Translate;
  /** The stylesheet's hashed path. */
  stylesheet: string;
  /** The path without the language prefix and with the query (for the language switcher). */
  pathAfterLang: string;
  /** The CSRF token for forms on this page. */
  csrf: string;
}

/** A link inside the resident pages, in the page's language: href(ctx, 'where', { topic }). */
export function href(lang: Language, path: string, query: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
  const qs = q.toString();
  return `/${lang}${path ? `/${path}` : ''}${qs ? `?${qs}` : ''}`;
}
