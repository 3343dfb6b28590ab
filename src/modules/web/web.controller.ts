import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Inject, Ip, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/public.decorator';
import { deriveKey } from '../../common/crypto/keys';
import { ProblemException } from '../../common/problem/problem.exception';
import { AppConfig, APP_CONFIG } from '../../config/app-config';
import { chooseEncoding, stylesheet, Stylesheet } from './assets/stylesheet';
import { COOKIES, chooseLanguage, CsrfTokens, parseCookies, serializeCookie } from './http';
import { isLanguage, Language, LANGUAGES, translator } from './i18n/messages';
import { sendPage } from './page-response';
import { PageContext } from './views/context';
import { ResidentPages } from './resident-pages.service';

const YEAR_SECONDS = 365 * 24 * 3600;

/** Paths the global 'api/v1' prefix leaves alone (app.setup.ts). */
export const WEB_PATHS = ['/', 'fi', 'sv', 'en', 'fi/{*rest}', 'sv/{*rest}', 'en/{*rest}', 'm/:token', 'assets/:file'];

/** `path` in each language: @Get(inEachLanguage('where')) serves /fi/where, /sv/where and /en/where. */
function inEachLanguage(path = ''): string[] {
  return LANGUAGES.map((lang) => (path ? `${lang}/${path}` : lang));
}

type Form = Record<string, string | undefined>;

/**
 * The resident pages (issue 19): server-rendered, forms and links only. Thin: each route reads
 * the request, asks ResidentPages for the page and sends it.
 */
@ApiExcludeController()
@Public()
@Controller()
export class WebController {
  private readonly csrf: CsrfTokens;
  private readonly stylesheet: Stylesheet;

  constructor(
    private readonly pages: ResidentPages,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.csrf = new CsrfTokens(deriveKey(config.auth.secret, 'csrf'));
    this.stylesheet = stylesheet();
  }

  @Get()
  root(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const cookies = parseCookies(req.headers.cookie);
    void reply.header('vary', 'Accept-Language, Cookie').redirect(`/${chooseLanguage(cookies[COOKIES.language], req.headers['accept-language'])}`, 303);
  }

  @Get('assets/:file')
  asset(@Req() req: FastifyRequest, @Param('file') file: string, @Res() reply: FastifyReply): void {
    if (`/assets/${file}` !== this.stylesheet.path) throw ProblemException.notFound('file');
    const encoding = chooseEncoding(req.headers['accept-encoding']);
    void reply.headers({ 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable', vary: 'Accept-Encoding' });
    if (encoding) void reply.header('content-encoding', encoding).send(this.stylesheet.encoded[encoding]);
    else void reply.send(this.stylesheet.body);
  }

  @Get(inEachLanguage())
  async topics(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendPage(reply, await this.pages.topics(this.context(req, reply)));
  }

  @Get(inEachLanguage('where'))
  async where(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() q: Form): Promise<void> {
    sendPage(reply, await this.pages.where(this.context(req, reply), str(q.topic), str(q.municipality)));
  }

  @Get(inEachLanguage('library/:id'))
  async branch(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string, @Query() q: Form): Promise<void> {
    sendPage(reply, await this.pages.branch(this.context(req, reply), id, str(q.topic)));
  }

  @Get(inEachLanguage('times/:id'))
  async times(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string, @Query() q: Form): Promise<void> {
    sendPage(reply, await this.pages.times(this.context(req, reply), id, str(q.topic), str(q.day)));
  }

  @Get(inEachLanguage('details'))
  async details(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() q: Form): Promise<void> {
    sendPage(reply, await this.pages.details(this.context(req, reply), { location: str(q.location), topic: str(q.topic), start: str(q.start), claim: str(q.claim) }, randomUUID()));
  }

  @Post(inEachLanguage('details'))
  async book(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Form, @Ip() ip: string): Promise<void> {
    const ctx = this.context(req, reply);
    const form = body ?? {};
    const outcome = await this.pages.book(ctx, form, ip, this.csrf.matches(this.cookie(req, COOKIES.csrf), form.csrf));
    if ('page' in outcome) return sendPage(reply, outcome.page, outcome.status);
    this.setManageCookie(req, reply, outcome.token);
    void reply.redirect(`/${ctx.lang}/booked`, 303);
  }

  @Post(inEachLanguage('details/retime'))
  async retime(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const ctx = this.context(req, reply);
    const form = body ?? {};
    const page = await this.pages.retime(ctx, form, this.csrf.matches(this.cookie(req, COOKIES.csrf), form.csrf));
    sendPage(reply, page.page, page.status);
  }

  @Get(inEachLanguage('booked'))
  async booked(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const ctx = this.context(req, reply);
    const page = await this.pages.confirmation(ctx, this.cookie(req, COOKIES.manage), this.publicUrl(req), false);
    sendPage(reply, page.page, page.status);
  }

  @Get(inEachLanguage('booked/slip'))
  async slip(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const ctx = this.context(req, reply);
    const page = await this.pages.confirmation(ctx, this.cookie(req, COOKIES.manage), this.publicUrl(req), true);
    sendPage(reply, page.page, page.status);
  }

  /** The private link: the token goes into a cookie and out of the address bar, history and referrers. */
  @Get('m/:token')
  async manageLink(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('token') token: string): Promise<void> {
    const remembered = this.cookie(req, COOKIES.language);
    const found = await this.pages.languageOfBooking(token);
    const lang: Language = isLanguage(remembered) ? remembered : (found ?? chooseLanguage(undefined, req.headers['accept-language']));
    if (!found) return sendPage(reply, this.pages.noBooking(this.context(req, reply, lang)), 404);
    this.setManageCookie(req, reply, token);
    void reply.header('referrer-policy', 'no-referrer').redirect(`/${lang}/manage`, 303);
  }

  @Get(inEachLanguage('manage'))
  async manage(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const page = await this.pages.manage(this.context(req, reply), this.cookie(req, COOKIES.manage), this.publicUrl(req));
    sendPage(reply, page.page, page.status);
  }

  @Get(inEachLanguage('manage/cancel'))
  async cancelQuestion(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const page = await this.pages.cancelQuestion(this.context(req, reply), this.cookie(req, COOKIES.manage), this.publicUrl(req));
    sendPage(reply, page.page, page.status);
  }

  @Post(inEachLanguage('manage/cancel'))
  async cancel(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const ctx = this.context(req, reply);
    const page = await this.pages.cancel(ctx, this.cookie(req, COOKIES.manage), this.publicUrl(req), this.csrf.matches(this.cookie(req, COOKIES.csrf), body?.csrf));
    sendPage(reply, page.page, page.status);
  }

  @Get(inEachLanguage('manage/move'))
  async moveChoices(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() q: Form): Promise<void> {
    const page = await this.pages.moveChoices(this.context(req, reply), this.cookie(req, COOKIES.manage), str(q.day));
    sendPage(reply, page.page, page.status);
  }

  @Post(inEachLanguage('manage/move'))
  async move(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const ctx = this.context(req, reply);
    const csrfOk = this.csrf.matches(this.cookie(req, COOKIES.csrf), body?.csrf);
    const page = await this.pages.move(ctx, this.cookie(req, COOKIES.manage), str(body?.start), this.publicUrl(req), csrfOk);
    sendPage(reply, page.page, page.status);
  }

  @Get(inEachLanguage('manage/calendar.ics'))
  async calendar(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const token = this.cookie(req, COOKIES.manage);
    const file = token ? await this.pages.calendar(token) : undefined;
    if (!file) return sendPage(reply, this.pages.noBooking(this.context(req, reply)), 404);
    void reply
      .headers({ 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': `attachment; filename="${file.filename}"`, 'cache-control': 'no-store' })
      .send(file.body);
  }

  @Get(inEachLanguage('accessibility'))
  accessibility(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    sendPage(reply, this.pages.statement(this.context(req, reply), 'a11y'));
  }

  @Get(inEachLanguage('privacy'))
  privacy(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    sendPage(reply, this.pages.statement(this.context(req, reply), 'privacy'));
  }

  // ---- request helpers ----

  /** The page's language (from the path), remembered in a cookie; a CSRF cookie for its forms. */
  context(req: FastifyRequest, reply: FastifyReply, forced?: Language): PageContext {
    const first = req.url.split(/[/?]/)[1];
    const lang: Language = forced ?? (isLanguage(first) ? first : 'fi');
    const cookies = parseCookies(req.headers.cookie);
    const setCookies: string[] = [];
    const secure = this.secure(req);
    if (cookies[COOKIES.language] !== lang) setCookies.push(serializeCookie(COOKIES.language, lang, { secure, maxAgeSeconds: YEAR_SECONDS }));
    let csrfCookie = cookies[COOKIES.csrf];
    if (!csrfCookie || csrfCookie.length < 32) {
      csrfCookie = CsrfTokens.newCookieValue();
      setCookies.push(serializeCookie(COOKIES.csrf, csrfCookie, { secure }));
    }
    for (const c of setCookies) void reply.header('set-cookie', c);
    const rest = isLanguage(first) ? req.url.slice(first.length + 1) : '';
    return { lang, t: translator(lang), stylesheet: this.stylesheet.path, pathAfterLang: rest, csrf: this.csrf.tokenFor(csrfCookie) };
  }

  private cookie(req: FastifyRequest, name: string): string | undefined {
    return parseCookies(req.headers.cookie)[name];
  }

  /** No time limit on the resident: the cookie lasts a year; the token's own validity decides. */
  private setManageCookie(req: FastifyRequest, reply: FastifyReply, token: string): void {
    void reply.header('set-cookie', serializeCookie(COOKIES.manage, token, { secure: this.secure(req), maxAgeSeconds: YEAR_SECONDS }));
  }

  private publicUrl(req: FastifyRequest): string {
    return this.config.server.publicUrl ?? `${req.protocol}://${req.host}`;
  }

  private secure(req: FastifyRequest): boolean {
    return (this.config.server.publicUrl ?? `${req.protocol}:`).startsWith('https:');
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= 2000 ? value : undefined;
}
