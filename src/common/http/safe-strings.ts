const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * PostgreSQL stores no NUL in text or jsonb, and a lone UTF-16 surrogate is not text at all (the
 * e-mail validator throws on one): both are refused for every field, before any DTO looks.
 */
export function isUnsafeString(s: string): boolean {
  return s.includes('\u0000') || LONE_SURROGATE.test(s);
}

/** The paths (`resident.name`, `rules.2.startTime`) of every unsafe string or key in a value. */
export function unsafeStringFields(value: unknown, path = '', out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (isUnsafeString(value)) out.push(path || '(body)');
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => unsafeStringFields(item, path ? `${path}.${i}` : String(i), out));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      // A key is reported at its parent: echoing it would send the bad text back.
      if (isUnsafeString(key)) out.push(path || '(body)');
      else unsafeStringFields(item, path ? `${path}.${key}` : key, out);
    }
  }
  return out;
}
