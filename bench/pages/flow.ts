import http from 'node:http';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { BranchTopic } from './queries';

/** Target: each page with its stylesheet(s), as transferred. */
export const PAGE_BYTES_TARGET = 60 * 1024;

/** One page of the flow as a browser would load it. */
export interface PageWeight {
  title: string;
  path: string;
  status: number;
  /** Content-Encoding of the page's answer ('' when none). */
  encoding: string;
  /** Bytes of the page's body as transferred, and of the stylesheets it links (0 for the stylesheet's own row). */
  pageBytes: number;
  cssBytes: number;
  /** The page and its stylesheets gzipped here, for comparison when the app sends them uncompressed. */
  gzipBytes: number;
  /** src/href/action URLs (and CSS url()s) that point to another origin. */
  foreign: string[];
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as transferred. */
  raw: Buffer;
}

/** A browser-like client: keeps cookies, asks for compressed answers, does not follow redirects. */
class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly baseUrl: string) {}

  request(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<Answer> {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const headers: http.OutgoingHttpHeaders = {
      accept: 'text/html,text/css,*/*',
      'accept-encoding': 'gzip, br',
      ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
      ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}),
    };
    return new Promise((resolve, reject) => {
      const req = http.request(new URL(path, this.baseUrl), { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          for (const c of res.headers['set-cookie'] ?? []) {
            const [pair] = c.split(';');
            const eq = pair.indexOf('=');
            this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** The text of an answer (decoded when the app compressed it). */
function text(a: Answer): string {
  const encoding = String(a.headers['content-encoding'] ?? '');
  if (encoding === 'gzip') return gunzipSync(a.raw).toString('utf8');
  if (encoding === 'br') return brotliDecompressSync(a.raw).toString('utf8');
  return a.raw.toString('utf8');
}

const decodeEntities = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** Every URL in src, href, action, formaction, srcset and poster attributes. */
export function attributeUrls(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/\s(?:src|href|action|formaction|poster|srcset|data)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi)) {
    out.push(decodeEntities(m[1] ?? m[2] ?? m[3] ?? ''));
  }
  return out;
}

/** Every url(…) and @import in a stylesheet. */
export function cssUrls(css: string): string[] {
  return [...css.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*))\s*\)|@import\s+["']([^"']+)["']/gi)].map((m) => (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').trim());
}

/** URLs that make the browser talk to another origin: absolute http(s) or protocol-relative to another host. data:, mailto:, tel: and relative URLs stay. */
export function foreignUrls(urls: string[], origin: string): string[] {
  const own = new URL(origin).host;
  return urls.filter((u) => {
    if (/^(data|mailto|tel):/i.test(u) || u.startsWith('#')) return false;
    if (!/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(u)) return false;
    try {
      return new URL(u, origin).host !== own;
    } catch {
      return true;
    }
  });
}

function hidden(html: string, name: string): string {
  const m = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"|<input[^>]*value="([^"]*)"[^>]*name="${name}"`).exec(html);
  if (!m) throw new Error(`the details form has no ${name} field`);
  return decodeEntities(m[1] ?? m[2]);
}

/**
 * Walks the resident flow in Finnish for `b` as a browser without JavaScript: topics, municipality,
 * branch list, branch page, times, details form, a real booking and its confirmation, the manage
 * link /m/{token} in a fresh browser and its manage page, the accessibility statement, the privacy
 * notice and the stylesheet; weighs each page with the stylesheets it links.
 */
export async function weighFlow(baseUrl: string, b: BranchTopic): Promise<PageWeight[]> {
  const browser = new Browser(baseUrl);
  const css = new Map<string, Answer>();
  const weights: PageWeight[] = [];

  const weigh = async (title: string, path: string, answer?: Answer): Promise<string> => {
    const a = answer ?? (await browser.request('GET', path));
    const html = text(a);
    const sheets = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => decodeEntities(m[1]));
    let cssBytes = 0;
    let cssText = '';
    const foreign = foreignUrls(attributeUrls(html), baseUrl);
    for (const sheet of sheets) {
      if (foreignUrls([sheet], baseUrl).length) continue;
      if (!css.has(sheet)) css.set(sheet, await browser.request('GET', sheet));
      const s = css.get(sheet)!;
      cssBytes += s.raw.length;
      cssText += text(s);
      foreign.push(...foreignUrls(cssUrls(text(s)), baseUrl));
    }
    weights.push({
      title,
      path,
      status: a.status,
      encoding: String(a.headers['content-encoding'] ?? ''),
      pageBytes: a.raw.length,
      cssBytes,
      gzipBytes: gzipSync(html).length + (cssText ? gzipSync(cssText).length : 0),
      foreign,
    });
    return html;
  };

  await weigh('topics', '/fi');
  await weigh('municipality', `/fi/where?topic=${b.topic}`);
  await weigh('branch list', `/fi/where?topic=${b.topic}&municipality=${b.municipality}`);
  await weigh('branch page', `/fi/library/${b.id}?topic=${b.topic}`);
  const times = await weigh('times (14 days)', `/fi/times/${b.id}?topic=${b.topic}`);
  const firstTime = /href="(\/fi\/details\?[^"]+)"/.exec(times);
  if (!firstTime) throw new Error(`no free time on /fi/times/${b.id}?topic=${b.topic}`);
  const detailsPath = decodeEntities(firstTime[1]);
  const form = await weigh('details form', detailsPath);

  const booked = await browser.request('POST', '/fi/details', {
    csrf: hidden(form, 'csrf'),
    location: hidden(form, 'location'),
    topic: hidden(form, 'topic'),
    start: hidden(form, 'start'),
    idempotencyKey: hidden(form, 'idempotencyKey'),
    name: 'Penkki Testaaja',
    phone: '040 765 4321',
    email: '',
    language: 'fi',
    notes: '',
    consent: 'yes',
  });
  if (booked.status !== 303) throw new Error(`booking from the details form answered ${booked.status}: ${text(booked).slice(0, 300)}`);
  const confirmation = await weigh('confirmation', String(booked.headers.location));
  const manageLink = /class="manage-link"[\s\S]*?href="([^"]+)"/.exec(confirmation);
  if (!manageLink) throw new Error('the confirmation page has no manage link');

  const fresh = new Browser(baseUrl);
  const token = new URL(decodeEntities(manageLink[1]), baseUrl);
  const redirect = await fresh.request('GET', token.pathname);
  if (redirect.status !== 303) throw new Error(`/m/{token} answered ${redirect.status}`);
  const managePath = String(redirect.headers.location);
  await weigh('manage (via /m/{token})', managePath, await fresh.request('GET', managePath));

  await weigh('accessibility statement', '/fi/accessibility');
  await weigh('privacy notice', '/fi/privacy');
  const [sheet] = css.keys();
  if (sheet) {
    const a = css.get(sheet)!;
    const body = text(a);
    weights.push({
      title: 'stylesheet',
      path: sheet,
      status: a.status,
      encoding: String(a.headers['content-encoding'] ?? ''),
      pageBytes: a.raw.length,
      cssBytes: 0,
      gzipBytes: gzipSync(body).length,
      foreign: foreignUrls(cssUrls(body), baseUrl),
    });
  }
  return weights;
}
