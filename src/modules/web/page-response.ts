import type { FastifyReply, FastifyRequest } from 'fastify';
import { Html, renderDocument } from './jsx/runtime';

/** No inline script or style, no other origin; HDS icons are data: URIs in the stylesheet. */
export const PAGE_CSP = "default-src 'self'; img-src 'self' data:; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Sends a page with the security headers every resident page carries. */
export function sendPage(reply: FastifyReply, page: Html, status = 200): void {
  void reply
    .status(status)
    .headers({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': PAGE_CSP,
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    })
    .send(renderDocument(page));
}

/** True when a browser asks for a page (HTML before JSON) outside the API. */
export function wantsHtml(request: FastifyRequest): boolean {
  const url = request.url;
  if (url.startsWith('/api/') || url === '/api' || url.startsWith('/health/') || url.startsWith('/problems')) return false;
  const accept = String(request.headers.accept ?? '');
  return accept.includes('text/html');
}
