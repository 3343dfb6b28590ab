import type { FastifyReply, FastifyRequest } from 'fastify';
import { stylesheet } from './assets/stylesheet';
import { COOKIES, chooseLanguage, parseCookies } from './http';
import { isLanguage, Language, translator } from './i18n/messages';
import { sendPage, wantsHtml } from './page-response';
import { MessagePage } from './views/booking-pages';


/**
 * The problem filter's hook: a browser outside the API gets an error page in its language
 * (404, 429, 500 with the request id, any other status a general one); returns false to let
 * the filter answer problem+json.
 */
export function renderHtmlError(request: FastifyRequest, reply: FastifyReply, status: number, headers: Record<string, string>): boolean {
  if (!wantsHtml(request) || reply.sent) return false;
  const first = request.url.split(/[/?]/)[1];
  const cookies = parseCookies(request.headers.cookie);
  const lang: Language = isLanguage(first) ? first : chooseLanguage(cookies[COOKIES.language], request.headers['accept-language']);
  const t = translator(lang);
  const ctx = { lang, t, stylesheet: stylesheet().path, pathAfterLang: '', csrf: '' };
  const page =
    status === 404
      ? MessagePage({ ctx, title: t('error.404.title'), paragraphs: [t('error.404.text')] })
      : status === 429
        ? MessagePage({ ctx, title: t('error.429.title'), paragraphs: [t('error.429.text')] })
        : status >= 500
          ? MessagePage({ ctx, title: t('error.500.title'), paragraphs: [t('error.500.text')], code: String(request.id) })
          : MessagePage({ ctx, title: t('error.other.title'), paragraphs: [t('error.other.text')] });
  if (headers['retry-after']) void reply.header('retry-after', headers['retry-after']);
  sendPage(reply, page, status);
  return true;
}
