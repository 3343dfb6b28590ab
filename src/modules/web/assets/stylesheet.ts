import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
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
  /** The body compressed once, at build: it holds no secret, so compressing it is safe (pages, with their CSRF tokens, stay uncompressed). */
  encoded: Record<Encoding, Buffer>;
}

export type Encoding = 'br' | 'gzip';

/** The encoding to send for an Accept-Encoding header: br before gzip, none when neither is accepted (q=0 refuses). */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase().split(/\s*;\s*/))
      .filter(([, ...params]) => !params.some((p) => /^q=0(\.0*)?$/.test(p)))
      .map(([name]) => name),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return undefined;
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
  const encoded = { br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }), gzip: gzipSync(body, { level: 9 }) };
  return { path: `/assets/site.${hash}.css`, body, encoded };
}
