import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SITE_CSS } from './site-css';

/** The HDS files the pages use (tokens and base, then components): nothing else is shipped. */
const HDS_FILES = [
  'hds-core/lib/base.min.css',
  'hds-core/lib/components/button/button.min.css',
  'hds-core/lib/components/text-input/text-input.min.css',
  'hds-core/lib/components/checkbox/checkbox.min.css',
  'hds-core/lib/components/radio-button/radio-button.min.css',
  'hds-core/lib/components/selection-group/selection-group.min.css',
];

export interface Stylesheet {
  /** The URL path, with the content's hash, so it can be cached for a year. */
  path: string;
  body: string;
}

let built: Stylesheet | undefined;

/** The stylesheet, built on first use and kept for the process's life. */
export function stylesheet(): Stylesheet {
  return (built ??= buildStylesheet());
}

/** Concatenates the chosen HDS files and the site's own CSS. */
function buildStylesheet(): Stylesheet {
  const parts = HDS_FILES.map((file) => readFileSync(require.resolve(file), 'utf8').replace(/\/\*# sourceMappingURL=[^*]*\*\//g, ''));
  const body = [...parts, SITE_CSS].join('\n');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  return { path: `/assets/site.${hash}.css`, body };
}
