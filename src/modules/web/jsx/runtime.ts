/**
 * A small JSX runtime that renders to strings and ESCAPES BY DEFAULT: every string or number
 * child and every attribute value is escaped; only the output of elements (an `Html` value) is
 * inserted as it is. Tags and attributes are typed (see JSX below), so the compiler rejects an
 * unknown attribute or an inline `style` (the Content-Security-Policy forbids inline styles).
 *
 * tsconfig: "jsx": "react", "jsxFactory": "h", "jsxFragmentFactory": "Fragment".
 */

/** Markup that is already safe to send (made by `h`). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Child = Html | string | number | boolean | null | undefined | readonly Child[];
export type Component<P> = (props: P) => Html;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const VOID = new Set(['meta', 'link', 'input', 'br', 'hr', 'img']);

function childrenToString(child: Child): string {
  if (child === null || child === undefined || child === false || child === true) return '';
  if (child instanceof Html) return child.value;
  if (Array.isArray(child)) return (child as readonly Child[]).map(childrenToString).join('');
  return escapeHtml(String(child));
}

function attributesToString(props: Record<string, unknown>): string {
  let out = '';
  for (const [name, value] of Object.entries(props)) {
    if (name === 'children' || value === undefined || value === null || value === false) continue;
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return out;
}

export function h(tag: string | Component<Record<string, unknown>>, props: Record<string, unknown> | null, ...children: Child[]): Html {
  const all = { ...(props ?? {}), ...(children.length ? { children: children.length === 1 ? children[0] : children } : {}) };
  if (typeof tag === 'function') return tag(all);
  const open = `<${tag}${attributesToString(all)}>`;
  if (VOID.has(tag)) return new Html(open);
  return new Html(`${open}${childrenToString(all.children as Child)}</${tag}>`);
}

export function Fragment(props: { children?: Child }): Html {
  return new Html(childrenToString(props.children));
}

/** A whole page: the doctype and the markup. */
export function renderDocument(page: Html): string {
  return `<!doctype html>${page.value}`;
}

type AttrValue = string | number | boolean | null | undefined;

/** Every attribute the templates may use; anything else is a compile error. */
interface Attributes {
  children?: Child;
  id?: string;
  class?: string;
  lang?: string;
  title?: string;
  hidden?: boolean;
  role?: string;
  tabindex?: number;
  href?: string;
  hreflang?: string;
  rel?: string;
  download?: string | boolean;
  method?: 'get' | 'post';
  action?: string;
  form?: string;
  formaction?: string;
  novalidate?: boolean;
  type?: string;
  name?: string;
  value?: AttrValue;
  checked?: boolean;
  disabled?: boolean;
  required?: boolean;
  autocomplete?: string;
  inputmode?: 'text' | 'tel' | 'email' | 'numeric';
  spellcheck?: 'true' | 'false';
  maxlength?: number;
  rows?: number;
  for?: string;
  charset?: string;
  content?: string;
  media?: string;
  datetime?: string;
  scope?: 'row' | 'col';
  src?: string;
  alt?: string;
  width?: number;
  height?: number;
  [aria: `aria-${string}`]: AttrValue;
  [data: `data-${string}`]: AttrValue;
}

type Tag =
  | 'html' | 'head' | 'body' | 'meta' | 'title' | 'link' | 'header' | 'main' | 'footer' | 'nav' | 'section' | 'article' | 'aside'
  | 'h1' | 'h2' | 'h3' | 'p' | 'div' | 'span' | 'a' | 'strong' | 'em' | 'small' | 'br' | 'hr' | 'ul' | 'ol' | 'li' | 'dl' | 'dt' | 'dd'
  | 'form' | 'fieldset' | 'legend' | 'label' | 'input' | 'textarea' | 'button' | 'table' | 'thead' | 'tbody' | 'tr' | 'th' | 'td'
  | 'time' | 'address' | 'img' | 'abbr' | 'caption';

// eslint-disable-next-line @typescript-eslint/no-namespace
export namespace h {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace JSX {
    export type Element = Html;
    export type IntrinsicElements = { [K in Tag]: Attributes };
    export interface ElementChildrenAttribute {
      children: unknown;
    }
  }
}
