import { Injectable } from '@nestjs/common';
import { ProblemException } from '../../common/problem/problem.exception';
import { DAY_MS, MINUTE_MS } from '../../common/time/local-time';
import { isE164, normalizeEmail, normalizePhone } from '../bookings/rules/contact';
import { normalizeReference } from '../bookings/rules/reference';
import type { BookingView, CreateBookingDto } from '../bookings/dto/booking.dto';
import type { LocationView, OpeningDayView } from '../locations/dto/location.dto';
import type { SlotView } from '../slots/dto/slot.dto';
import type { TopicView } from '../topics/dto/topic.dto';
import { formatDateTime, formatIsoDate, formatTime, formatTimeRange, localIsoDate, mondayOf } from './i18n/dates';
import { Language, languageName } from './i18n/messages';
import { Html } from './jsx/runtime';
import { PartnerNames, ResidentGateway, SlotsWithPartners } from './resident-gateway';
import { BookingFacts, CancelPage, ConfirmationPage, ManagePage, MessagePage, MovePage, SlipPage } from './views/booking-pages';
import { LostLinkForm, LostLinkPage } from './views/lost-link-page';
import type { FieldError } from './views/components';
import { href, PageContext } from './views/context';
import { BranchesPage, BranchPage, DetailsForm, DetailsPage, MunicipalitiesPage, Refusal, TimesPage, TopicsPage } from './views/flow-pages';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** How far ahead the time pages look (the slot search's default). */
const SEARCH_DAYS = 14;
/** Alternatives offered after a refusal. */
const ALTERNATIVES = 4;

type Page = { page: Html; status: number };
/** What the booking steps carry in their addresses and forms: the branch, topic, start and (advisory sessions) the claim. */
type PageQuery = { location?: string; topic?: string; start?: string; claim?: string };

/** The claim of an advisory session the pages carry, when it is a well-formed id. */
function claimOf(q: PageQuery): string | undefined {
  return q.claim && UUID.test(q.claim) ? q.claim.toLowerCase() : undefined;
}

/** Builds the resident pages from the gateway's data: texts in the page's language, dates as its readers write them. */
@Injectable()
export class ResidentPages {
  constructor(private readonly gateway: ResidentGateway) {}

  async topics(ctx: PageContext): Promise<Html> {
    const topics = await this.gateway.topics();
    return TopicsPage({ ctx, topics: topics.map((t) => ({ slug: t.slug, name: t.name[ctx.lang], description: t.description[ctx.lang] })) });
  }

  async where(ctx: PageContext, topicSlug?: string, municipality?: string): Promise<Html> {
    const topic = await this.topic(ctx, topicSlug);
    const names = await this.gateway.municipalityNames();
    const nameOf = (code: string) => names.get(code)?.[ctx.lang === 'sv' ? 'sv' : 'fi'] ?? code;
    if (municipality !== undefined) {
      if (!names.has(municipality)) throw ProblemException.notFound('municipality');
      const branches = await this.gateway.branches(municipality);
      return BranchesPage({ ctx, topic, municipality: nameOf(municipality), branches: branches.map((b) => ({ id: b.id, name: b.name[ctx.lang], address: addressOf(b) })) });
    }
    const counts = new Map<string, number>();
    for (const b of await this.gateway.branches()) counts.set(b.municipality.code, (counts.get(b.municipality.code) ?? 0) + 1);
    const municipalities = [...counts].map(([code, branches]) => ({ code, name: nameOf(code), branches })).sort((a, b) => a.name.localeCompare(b.name, ctx.lang));
    return MunicipalitiesPage({ ctx, topic, municipalities });
  }

  async branch(ctx: PageContext, id: string, topicSlug?: string): Promise<Html> {
    // Every read at once: the partners' advisory times need only the ids in the address.
    const topics = this.gateway.topics();
    const [topic, { branch, days }, topicList, { slots: advisory, partners: names }] = await inOrder(
      this.topic(ctx, topicSlug, topics),
      this.branchWithWeek(id),
      topics,
      this.freeSlotsFrom(this.gateway.now(), id, topicSlug, 'advisory'),
    );
    const partners = partnersThisWeek(ctx, branch, days, topicList, names, advisory);
    const week = days.map((d) => ({
      day: formatIsoDate(d.date, ctx.lang, { long: true }),
      hours: d.hours.length ? d.hours.map(([from, to]) => `${clock(from, ctx.lang)}–${clock(to, ctx.lang)}`).join(', ') : ctx.t('branch.closed'),
      holiday: d.holiday ? d.holiday[ctx.lang] : undefined,
    }));
    return BranchPage({
      ctx,
      topic,
      branch: {
        id: branch.id,
        name: branch.name[ctx.lang],
        address: addressOf(branch),
        municipality: branch.municipality.code,
        accessibility: branch.accessibility?.[ctx.lang] || undefined,
        week,
        partners,
      },
    });
  }

  async times(ctx: PageContext, id: string, topicSlug?: string, day?: string): Promise<Html> {
    const [topic, branch, { slots, partners }] = await inOrder(this.topic(ctx, topicSlug), this.branchById(id), this.freeSlotsFrom(this.gateway.now(), id, topicSlug));
    const view = dayView(slots, branch.timezone, ctx.lang, day, (d) => href(ctx.lang, `times/${branch.id}`, { topic: topic.slug, day: d }));
    return TimesPage({
      ctx,
      title: ctx.t('when.title'),
      step: 4,
      back: href(ctx.lang, `library/${branch.id}`, { topic: topic.slug }),
      intro: `${branch.name[ctx.lang]} · ${topic.name}`,
      days: view.days,
      dayLabel: view.dayLabel,
      times: view.starts.map((s) => ({
        href: href(ctx.lang, 'details', { location: branch.id, topic: topic.slug, start: s.start, claim: s.claimId ?? undefined }),
        time: formatTime(s.startMs, branch.timezone, ctx.lang),
        note: [
          ...(s.partnerId ? [ctx.t('when.partner', { partner: partners.get(s.partnerId)?.[ctx.lang] ?? '' })] : []),
          ctx.t('when.languages', { languages: s.languages.map((l) => languageName(ctx.lang, l)).join(', ') }),
        ].join(' · '),
      })),
      emptyLink: { href: href(ctx.lang, 'where', { topic: topic.slug, municipality: branch.municipality.code }), label: ctx.t('when.tryOther') },
    });
  }

  async details(ctx: PageContext, q: PageQuery, idempotencyKey: string, form?: DetailsForm, errors: FieldError[] = [], refusal?: Refusal): Promise<Html> {
    const topic = await this.topic(ctx, q.topic);
    const branch = await this.branchById(q.location);
    const startMs = q.start ? Date.parse(q.start) : NaN;
    if (!Number.isFinite(startMs)) throw ProblemException.notFound('time');
    const claim = claimOf(q);
    const slots = await this.slotsOfKind(claim, { locationId: branch.id, topic: topic.slug, from: new Date(startMs).toISOString(), to: new Date(startMs + MINUTE_MS).toISOString() });
    const partnerId = slots[0]?.partnerId;
    const partner = partnerId ? (await this.gateway.partnerNames()).get(partnerId)?.[ctx.lang] : undefined;
    const offered = [...new Set(slots.flatMap((s) => s.languages))];
    const languages = (offered.length ? offered : [ctx.lang]).map((l) => ({ value: l, label: languageName(ctx.lang, l) }));
    // A time no longer free (taken meanwhile) has no known end: only its start is shown.
    const when = slots[0] ? formatTimeRange(startMs, Date.parse(slots[0].end), branch.timezone, ctx.lang) : formatDateTime(startMs, branch.timezone, ctx.lang);
    // After a POST, the language switcher must lead back to this form, not to the POST address.
    const pageCtx = { ...ctx, pathAfterLang: href(ctx.lang, 'details', { location: branch.id, topic: topic.slug, start: q.start, claim }).slice(ctx.lang.length + 1) };
    return DetailsPage({
      ctx: pageCtx,
      action: href(ctx.lang, 'details'),
      back: href(ctx.lang, `times/${branch.id}`, { topic: topic.slug, day: localIsoDate(startMs, branch.timezone) }),
      summary: { when, where: `${branch.name[ctx.lang]}, ${addressOf(branch)}`, topic: topic.name, partner },
      hidden: { location: branch.id, topic: topic.slug, start: q.start!, idempotencyKey, ...(claim ? { claim } : {}) },
      languages,
      form: form ?? { name: '', phone: '', email: '', language: offered.includes(ctx.lang) ? ctx.lang : (offered[0] ?? ctx.lang), notes: '', consent: false },
      errors,
      refusal,
    });
  }

  /** The details form sent: errors back on the form, refusals with alternatives, or the booking's token. */
  async book(ctx: PageContext, body: Record<string, string | undefined>, ip: string, csrfOk: boolean): Promise<{ token: string } | Page> {
    const q = { location: body.location, topic: body.topic, start: body.start, claim: body.claim };
    const form = formOf(body);
    const claim = claimOf(q);
    const key = typeof body.idempotencyKey === 'string' && /^[0-9a-f-]{36}$/.test(body.idempotencyKey) ? body.idempotencyKey : undefined;
    const errors = csrfOk && key ? validateDetails(ctx, form) : [{ field: 'name', message: ctx.t('errors.form') }];
    if (errors.length) return { page: await this.details(ctx, q, key ?? crypto.randomUUID(), form, errors), status: 422 };
    const dto: CreateBookingDto = {
      locationId: q.location!,
      start: q.start!,
      topic: q.topic!,
      ...(claim ? { kind: 'advisory' as const, claimId: claim } : {}),
      language: form.language,
      resident: { name: form.name, phone: form.phone ? (normalizePhone(form.phone) ?? null) : null, email: form.email ? normalizeEmail(form.email) : null, language: ctx.lang },
      notes: form.notes || null,
      consent: true,
    };
    try {
      const booking = await this.gateway.book(dto, ip, key!);
      return { token: booking.manageToken! };
    } catch (error) {
      if (!(error instanceof ProblemException) || error.status >= 500 || error.code === 'not-found') throw error;
      const refusal = await this.refusal(ctx, q, error);
      return { page: await this.details(ctx, q, crypto.randomUUID(), form, [], refusal), status: error.status };
    }
  }

  /** An alternative time chosen after a refusal: the form again for that time, with what was typed; nothing is booked. */
  async retime(ctx: PageContext, body: Record<string, string | undefined>, csrfOk: boolean): Promise<Page> {
    const q = { location: body.location, topic: body.topic, start: body.newStart, claim: body.claim };
    const errors = csrfOk ? [] : [{ field: 'name', message: ctx.t('errors.form') }];
    return { page: await this.details(ctx, q, crypto.randomUUID(), formOf(body), errors), status: csrfOk ? 200 : 422 };
  }

  async confirmation(ctx: PageContext, token: string | undefined, publicUrl: string, slip: boolean): Promise<Page> {
    const booking = token ? await this.bookingOrUndefined(token) : undefined;
    if (!booking || !token) return { page: this.noBooking(ctx), status: 404 };
    const facts = await this.facts(ctx, booking, `${publicUrl}/m/${token}`);
    return { page: slip ? SlipPage({ ctx, booking: facts }) : ConfirmationPage({ ctx, booking: facts }), status: 200 };
  }

  async languageOfBooking(token: string): Promise<Language | undefined> {
    const booking = await this.bookingOrUndefined(token);
    return booking?.resident.language;
  }

  async manage(pageCtx: PageContext, token: string | undefined, publicUrl: string, flash?: { kind: 'success' | 'alert'; text: string }): Promise<Page> {
    const ctx = { ...pageCtx, pathAfterLang: '/manage' };
    const booking = token ? await this.bookingOrUndefined(token) : undefined;
    if (!booking || !token) return { page: this.noBooking(ctx), status: 404 };
    const branch = await this.gateway.branch(booking.location.id);
    const startMs = Date.parse(booking.start);
    const deadlineMs = startMs - branch.policy.cancelUntilMinutesBefore * MINUTE_MS;
    const facts = await this.facts(ctx, booking, `${publicUrl}/m/${token}`);
    return {
      page: ManagePage({ ctx, booking: facts, deadline: formatDateTime(deadlineMs, branch.timezone, ctx.lang), changeable: this.gateway.now() < deadlineMs, flash }),
      status: 200,
    };
  }

  /** The question before cancelling: only for a booking that can still be cancelled. */
  async cancelQuestion(ctx: PageContext, token: string | undefined, publicUrl: string): Promise<Page> {
    const booking = token ? await this.bookingOrUndefined(token) : undefined;
    if (!booking || !token) return { page: this.noBooking(ctx), status: 404 };
    if (booking.status !== 'confirmed') return this.manage(ctx, token, publicUrl);
    return { page: CancelPage({ ctx, booking: await this.facts(ctx, booking, `${publicUrl}/m/${token}`) }), status: 200 };
  }

  async cancel(ctx: PageContext, token: string | undefined, publicUrl: string, csrfOk: boolean): Promise<Page> {
    if (!token) return { page: this.noBooking(ctx), status: 404 };
    if (!csrfOk) return this.manage(ctx, token, publicUrl, { kind: 'alert', text: ctx.t('errors.form') });
    try {
      await this.gateway.cancel(token);
    } catch (error) {
      if (error instanceof ProblemException && error.code === 'not-found') return { page: this.noBooking(ctx), status: 404 };
      if (error instanceof ProblemException && error.status < 500) return this.manage(ctx, token, publicUrl, { kind: 'alert', text: await this.changeRefused(ctx, token, error) });
      throw error;
    }
    return this.manage(ctx, token, publicUrl, { kind: 'success', text: ctx.t('manage.cancelled') });
  }

  async moveChoices(ctx: PageContext, token: string | undefined, day?: string, error?: string): Promise<Page> {
    const booking = token ? await this.bookingOrUndefined(token) : undefined;
    if (!booking || booking.status !== 'confirmed') return { page: this.noBooking(ctx), status: 404 };
    const zone = booking.location.timezone;
    const slots = (
      await this.slotsOfKind(booking.claimId ?? undefined, { locationId: booking.location.id, topic: booking.topic, language: booking.language, from: new Date(this.gateway.now()).toISOString() })
    ).filter((s) => s.start !== booking.start);
    const view = dayView(slots, zone, ctx.lang, day, (d) => href(ctx.lang, 'manage/move', { day: d }));
    return {
      page: MovePage({
        ctx,
        days: view.days,
        dayLabel: view.dayLabel,
        times: view.starts.map((s) => ({ start: s.start, time: formatTime(s.startMs, zone, ctx.lang), note: s.languages.map((l) => languageName(ctx.lang, l)).join(', ') })),
        error,
      }),
      status: error ? 409 : 200,
    };
  }

  async move(ctx: PageContext, token: string | undefined, start: string | undefined, publicUrl: string, csrfOk: boolean): Promise<Page> {
    if (!token) return { page: this.noBooking(ctx), status: 404 };
    if (!csrfOk || !start) return this.moveChoices(ctx, token, undefined, ctx.t('errors.form'));
    try {
      await this.gateway.move(token, start);
    } catch (error) {
      if (error instanceof ProblemException && error.code === 'not-found') return { page: this.noBooking(ctx), status: 404 };
      if (error instanceof ProblemException && error.status < 500) return this.moveChoices(ctx, token, undefined, await this.changeRefused(ctx, token, error));
      throw error;
    }
    return this.manage(ctx, token, publicUrl, { kind: 'success', text: ctx.t('manage.moved') });
  }

  async calendar(token: string): Promise<{ filename: string; body: string } | undefined> {
    return this.gateway.calendar(token).catch((error: unknown) => {
      if (error instanceof ProblemException && error.code === 'not-found') return undefined;
      throw error;
    });
  }

  noBooking(ctx: PageContext): Html {
    return MessagePage({
      ctx,
      title: ctx.t('manage.noBooking'),
      paragraphs: [ctx.t('manage.noBookingText')],
      more: { href: href(ctx.lang, 'lost-link'), label: ctx.t('lost.link') },
      link: { href: href(ctx.lang, ''), label: ctx.t('manage.newBooking') },
    });
  }

  lostLink(ctx: PageContext, form: LostLinkForm = {}, errors: FieldError[] = []): Html {
    return LostLinkPage({ ctx, action: href(ctx.lang, 'lost-link'), form, errors });
  }

  /**
   * The lost-link form sent: errors back on the form; otherwise the same answer whether or not
   * the reference and contact matched a booking (the new link, if any, goes to that contact).
   */
  async sendLostLink(ctx: PageContext, body: Record<string, string | undefined>, ip: string, csrfOk: boolean): Promise<Page> {
    const form: LostLinkForm = { reference: (body.reference ?? '').trim().slice(0, 20), contact: (body.contact ?? '').trim().slice(0, 254) };
    const errors: FieldError[] = [];
    if (!csrfOk) errors.push({ field: 'reference', message: ctx.t('errors.form') });
    else {
      if (!normalizeReference(form.reference!)) errors.push({ field: 'reference', message: ctx.t('errors.reference') });
      const contactOk = form.contact!.includes('@') ? /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.contact!) : !!normalizePhone(form.contact!);
      if (!contactOk) errors.push({ field: 'contact', message: ctx.t('errors.lostContact') });
    }
    if (errors.length) return { page: this.lostLink(ctx, form, errors), status: 422 };
    try {
      await this.gateway.resendLink({ reference: form.reference!, contact: form.contact! }, ip);
    } catch (error) {
      if (error instanceof ProblemException && error.code === 'rate-limited') {
        return { page: MessagePage({ ctx, title: ctx.t('error.429.title'), paragraphs: [ctx.t('error.429.text')] }), status: 429 };
      }
      throw error;
    }
    return { page: MessagePage({ ctx, title: ctx.t('lost.sentTitle'), paragraphs: [ctx.t('lost.sentText')] }), status: 200 };
  }

  statement(ctx: PageContext, which: 'a11y' | 'privacy'): Html {
    const t = ctx.t;
    return which === 'a11y'
      ? MessagePage({ ctx, title: t('a11y.title'), paragraphs: [t('a11y.body'), t('a11y.known'), t('a11y.feedback')] })
      : MessagePage({ ctx, title: t('privacy.title'), paragraphs: [t('privacy.what'), t('privacy.why'), t('privacy.keep'), t('privacy.cookies'), t('privacy.contact')] });
  }

  // ---- internals ----

  private async changeRefused(ctx: PageContext, token: string, error: ProblemException): Promise<string> {
    const booking = await this.gateway.booking(token);
    const branch = await this.gateway.branch(booking.location.id);
    return ctx.t('manage.moveFailed', { reason: refusalText(ctx, error, branch.policy) });
  }

  /** Free slots of one kind: a claim's advisory sessions, or tutoring. */
  private async slotsOfKind(claim: string | undefined, q: { locationId: string; topic: string; from: string; to?: string; language?: string }): Promise<SlotView[]> {
    if (!claim) return this.gateway.freeSlots(q);
    return (await this.gateway.freeSlots({ ...q, kind: 'advisory' })).filter((s) => s.claimId === claim);
  }

  private async topic(ctx: PageContext, slug: string | undefined, topics = this.gateway.topics()): Promise<{ slug: string; name: string }> {
    const topic = slug && SLUG.test(slug) ? (await topics).find((t) => t.slug === slug) : undefined;
    if (!topic) throw ProblemException.notFound('topic');
    return { slug: topic.slug, name: topic.name[ctx.lang] };
  }

  private async branchById(id: string | undefined): Promise<LocationView> {
    if (!id || !UUID.test(id)) throw ProblemException.notFound('location');
    const branch = await this.gateway.branch(id);
    if (!branch.active) throw ProblemException.notFound('location');
    return branch;
  }

  /**
   * Free slots of the branch and topic as the pages name them, with their partners' names, read
   * alongside the branch and topic themselves (an id or slug those reads refuse gives no slots; a
   * valid one is what they return).
   */
  private async freeSlotsFrom(
    now: number,
    id: string | undefined,
    topicSlug: string | undefined,
    kind: 'advisory' | 'any' = 'any',
  ): Promise<SlotsWithPartners> {
    if (!id || !UUID.test(id) || !topicSlug || !SLUG.test(topicSlug)) return { slots: [], partners: new Map() };
    return this.gateway.freeSlotsWithPartners({ locationId: id.toLowerCase(), topic: topicSlug, from: new Date(now).toISOString(), kind });
  }

  /** The active branch with its days from this week's Monday to Sunday (its zone). */
  private async branchWithWeek(id: string): Promise<{ branch: LocationView; days: OpeningDayView[] }> {
    if (!UUID.test(id)) throw ProblemException.notFound('location');
    const week = await this.gateway.branchWithDays(id, (timeZone) => {
      const monday = mondayOf(this.gateway.now(), timeZone);
      return { from: monday, to: new Date(Date.parse(monday) + 6 * DAY_MS).toISOString().slice(0, 10) };
    });
    if (!week.branch.active) throw ProblemException.notFound('location');
    return week;
  }

  private async bookingOrUndefined(token: string): Promise<BookingView | undefined> {
    if (token.length > 200) return undefined;
    return this.gateway.booking(token).catch((error: unknown) => {
      if (error instanceof ProblemException && error.code === 'not-found') return undefined;
      throw error;
    });
  }

  private async facts(ctx: PageContext, b: BookingView, manageUrl: string): Promise<BookingFacts> {
    const [topics, partners] = await Promise.all([this.gateway.topics(), this.gateway.partnerNames()]);
    const zone = b.location.timezone;
    const startMs = Date.parse(b.start);
    return {
      partner: b.partnerId ? partners.get(b.partnerId)?.[ctx.lang] : undefined,
      reference: b.reference,
      when: formatTimeRange(startMs, Date.parse(b.end), zone, ctx.lang, { year: true }),
      where: b.location.name[ctx.lang],
      address: `${b.location.address.street}, ${b.location.address.postalCode} ${b.location.address.city}`,
      topic: topics.find((t) => t.slug === b.topic)?.name[ctx.lang] ?? b.topic,
      tutor: b.tutor.displayName,
      status: b.status === 'confirmed' ? 'confirmed' : b.status === 'cancelled' ? 'cancelled' : 'done',
      manageUrl,
    };
  }

  /** A refusal in plain words and the free times nearest the one asked for. */
  private async refusal(ctx: PageContext, q: PageQuery, error: ProblemException): Promise<Refusal> {
    const branch = await this.branchById(q.location);
    const wanted = Date.parse(q.start ?? '') || this.gateway.now();
    const slots = await this.slotsOfKind(claimOf(q), { locationId: branch.id, topic: q.topic!, from: new Date(this.gateway.now()).toISOString() });
    const starts = [...new Map(slots.filter((s) => s.start !== q.start).map((s) => [s.start, s])).values()]
      .sort((a, b) => Math.abs(Date.parse(a.start) - wanted) - Math.abs(Date.parse(b.start) - wanted))
      .slice(0, ALTERNATIVES)
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    return {
      message: refusalText(ctx, error, branch.policy),
      alternatives: starts.map((s) => ({
        start: s.start,
        time: formatDateTime(Date.parse(s.start), branch.timezone, ctx.lang),
        note: s.languages.map((l) => languageName(ctx.lang, l)).join(', '),
      })),
      retime: href(ctx.lang, 'details/retime'),
      allTimes: href(ctx.lang, `times/${branch.id}`, { topic: q.topic }),
    };
  }
}

/**
 * Awaits reads started together and answers as if they had run one after another: the first
 * failure in argument order is thrown (later reads' failures, caused by the same bad input, are not).
 */
async function inOrder<T extends readonly unknown[]>(...reads: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(reads);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * The week's partner hours at the branch, as sentences: drop-in hours (any topic) and the
 * advisory sessions with free times on the chosen topic, each naming the partner.
 */
function partnersThisWeek(
  ctx: PageContext,
  branch: LocationView,
  days: OpeningDayView[],
  topics: TopicView[],
  names: PartnerNames,
  advisory: SlotView[],
): string[] {
  const zone = branch.timezone;
  const topicNames = (slugs: string[]) => slugs.map((slug) => topics.find((t) => t.slug === slug)?.name[ctx.lang] ?? slug).join(', ');
  const span = (startMs: number, endMs: number) => `${formatTime(startMs, zone, ctx.lang)}–${formatTime(endMs, zone, ctx.lang)}`;
  const lines: { startMs: number; text: string }[] = [];
  for (const d of days) {
    for (const dropIn of d.dropIn ?? []) {
      const startMs = Date.parse(dropIn.start);
      const time = span(startMs, Date.parse(dropIn.end));
      lines.push({ startMs, text: ctx.t('branch.dropIn', { partner: dropIn.partnerName[ctx.lang], day: formatIsoDate(d.date, ctx.lang), time, topics: topicNames(dropIn.topics) }) });
    }
  }
  const week = new Set(days.map((d) => d.date));
  const claims = new Map<string, { partnerId: string; startMs: number; endMs: number; date: string; topics: string[] }>();
  for (const s of advisory) {
    const date = localIsoDate(Date.parse(s.start), zone);
    if (!s.claimId || !s.partnerId || !week.has(date)) continue;
    const c = claims.get(s.claimId) ?? { partnerId: s.partnerId, startMs: Date.parse(s.start), endMs: Date.parse(s.end), date, topics: s.topics };
    c.startMs = Math.min(c.startMs, Date.parse(s.start));
    c.endMs = Math.max(c.endMs, Date.parse(s.end));
    claims.set(s.claimId, c);
  }
  for (const c of claims.values()) {
    const partner = names.get(c.partnerId)?.[ctx.lang];
    if (!partner) continue;
    lines.push({ startMs: c.startMs, text: ctx.t('branch.advisory', { partner, day: formatIsoDate(c.date, ctx.lang), time: span(c.startMs, c.endMs), topics: topicNames(c.topics) }) });
  }
  return lines.sort((a, b) => a.startMs - b.startMs).map((l) => l.text);
}

/** A refused booking, cancellation or move in plain words, with the branch's own limits. */
function refusalText(ctx: PageContext, error: ProblemException, policy: LocationView['policy']): string {
  switch (error.code) {
    case 'slot-taken':
    case 'no-tutor-available':
      return ctx.t('refusal.taken');
    case 'too-soon':
      return ctx.t('refusal.tooSoon', { hours: Math.max(1, Math.round(policy.minNoticeMinutes / 60)) });
    case 'booking-limit-reached':
      return ctx.t('refusal.limit', { max: policy.maxActiveBookingsPerContact });
    case 'too-late-to-cancel':
      return ctx.t('refusal.tooLate');
    case 'rate-limited':
      return ctx.t('refusal.rateLimited');
    default:
      return ctx.t('refusal.other');
  }
}

function formOf(body: Record<string, string | undefined>): DetailsForm {
  return {
    name: (body.name ?? '').trim(),
    phone: (body.phone ?? '').trim(),
    email: (body.email ?? '').trim(),
    language: body.language ?? '',
    notes: (body.notes ?? '').trim(),
    consent: body.consent === 'yes',
  };
}

/** The form's own checks, with messages in the page's language; the service checks again. */
export function validateDetails(ctx: PageContext, form: DetailsForm): FieldError[] {
  const errors: FieldError[] = [];
  if (!form.name || form.name.length > 200) errors.push({ field: 'name', message: ctx.t('errors.name') });
  if (!form.phone && !form.email) errors.push({ field: 'phone', message: ctx.t('errors.contact') });
  if (form.phone && !isE164(normalizePhone(form.phone) ?? '')) errors.push({ field: 'phone', message: ctx.t('errors.phone') });
  if (form.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(form.email)) errors.push({ field: 'email', message: ctx.t('errors.email') });
  if (!/^[a-z]{2}$/.test(form.language)) errors.push({ field: 'language', message: ctx.t('errors.language') });
  if (form.notes.length > 2000) errors.push({ field: 'notes', message: ctx.t('errors.notes') });
  if (!form.consent) errors.push({ field: 'consent', message: ctx.t('errors.consent') });
  return errors;
}

function addressOf(b: { address: { street: string; postalCode: string; city: string } }): string {
  return `${b.address.street}, ${b.address.postalCode} ${b.address.city}`;
}

/** "09:00" from the opening-hours API, written as the page's language writes times. */
function clock(hhmm: string, lang: Language): string {
  const [h, m] = hhmm.split(':');
  return `${Number(h)}${lang === 'en' ? ':' : '.'}${m}`;
}

/** Free slots grouped into days and starts (several tutors at one time make one start). */
function dayView(slots: SlotView[], zone: string, lang: Language, chosen: string | undefined, dayHref: (day: string) => string) {
  const byDay = new Map<string, Map<string, { start: string; startMs: number; languages: string[]; claimId: string | null; partnerId: string | null }>>();
  for (const s of slots) {
    const startMs = Date.parse(s.start);
    const day = localIsoDate(startMs, zone);
    let starts = byDay.get(day);
    if (!starts) byDay.set(day, (starts = new Map()));
    // Tutors at one time make one start; each partner claim's sessions are a start of their own.
    const key = `${s.start}|${s.claimId ?? ''}`;
    const entry = starts.get(key) ?? { start: s.start, startMs, languages: [], claimId: s.claimId, partnerId: s.partnerId };
    for (const l of s.languages) if (!entry.languages.includes(l)) entry.languages.push(l);
    starts.set(key, entry);
  }
  const dates = [...byDay.keys()].sort().slice(0, SEARCH_DAYS);
  const current = chosen && ISO_DATE.test(chosen) && byDay.has(chosen) ? chosen : dates[0];
  return {
    days: dates.map((d) => ({ date: d, label: formatIsoDate(d, lang), href: dayHref(d), current: d === current })),
    dayLabel: current ? formatIsoDate(current, lang, { long: true }) : undefined,
    starts: current ? [...byDay.get(current)!.values()].sort((a, b) => a.startMs - b.startMs) : [],
  };
}
