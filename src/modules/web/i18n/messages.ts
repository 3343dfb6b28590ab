import { en } from './en';
import { fi, MessageKey, Messages } from './fi';
import { sv } from './sv';

export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export type { MessageKey };

export const CATALOGUES: Record<Language, Messages> = { fi, sv, en };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** A translator for one language: `t('step.of', { n: 2 })` fills `{n}`. */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(lang: Language): Translate {
  const messages = CATALOGUES[lang];
  return (key, params) => messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => (params && name in params ? String(params[name]) : whole));
}

/** Each language's own name for itself (the language switcher) and names of session languages. */
export const LANGUAGE_NAMES: Record<Language, Record<string, string>> = {
  fi: { fi: 'suomi', sv: 'ruotsi', en: 'englanti', ru: 'venäjä', et: 'viro', ar: 'arabia', so: 'somali', uk: 'ukraina', fa: 'persia', ku: 'kurdi', zh: 'kiina', es: 'espanja', de: 'saksa', fr: 'ranska' },
  sv: { fi: 'finska', sv: 'svenska', en: 'engelska', ru: 'ryska', et: 'estniska', ar: 'arabiska', so: 'somaliska', uk: 'ukrainska', fa: 'persiska', ku: 'kurdiska', zh: 'kinesiska', es: 'spanska', de: 'tyska', fr: 'franska' },
  en: { fi: 'Finnish', sv: 'Swedish', en: 'English', ru: 'Russian', et: 'Estonian', ar: 'Arabic', so: 'Somali', uk: 'Ukrainian', fa: 'Persian', ku: 'Kurdish', zh: 'Chinese', es: 'Spanish', de: 'German', fr: 'French' },
};
export const ENDONYMS: Record<Language, string> = { fi: 'Suomeksi', sv: 'På svenska', en: 'In English' };

export function languageName(lang: Language, code: string): string {
  return LANGUAGE_NAMES[lang][code] ?? code;
}
