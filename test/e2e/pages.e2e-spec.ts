import { Controller, Get, Module } from '@nestjs/common';
import { Public } from '../../src/common/auth/public.decorator';
import { ProblemException } from '../../src/common/problem/problem.exception';
import { bookingBody, bookingWorld, BOOKING_NOW, uniquePhone } from '../support/booking-fixtures';
import { newUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/** Routes outside /api that fail, to see the error pages a browser gets. */
@Public()
@Controller('fi')
class FailingPagesController {
  @Get('boom')
  boom(): never {
    throw new Error('password=swordfish at /src/secret.ts:1');
  }

  @Get('busy')
  busy(): never {
    throw new ProblemException('rate-limited', 'Slow down.', undefined, { 'retry-after': '30' });
  }
}
@Module({ controllers: [FailingPagesController] })
class FailingPagesModule {}

/** The resident pages over HTTP: language, headers, CSRF, a booking by form, HTML errors. */
describe('resident pages (HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW, extraModules: [FailingPagesModule] });
  });
  afterAll(() => t.close());

  const cookiesOf = (res: { headers: Record<string, unknown> }) => ((res.headers['set-cookie'] as string[] | undefined) ?? []).map((c) => c.split(';')[0]);

  it('sends / to the remembered language, else Accept-Language, else Finnish', async () => {
    expect((await t.http.get('/').expect(303)).headers.location).toBe('/fi');
    expect((await t.http.get('/').set('accept-language', 'sv-FI,en;q=0.5').expect(303)).headers.location).toBe('/sv');
    expect((await t.http.get('/').set('cookie', 'tukiaika_lang=en').set('accept-language', 'sv').expect(303)).headers.location).toBe('/en');
  });

  it('renders topics with descriptions, lang set, strict CSP and no referrer', async () => {
    const res = await t.http.get('/sv').expect(200);
    expect(res.text).toContain('<html lang="sv">');
    expect(res.text).toContain('Smarttelefon och surfplatta');
    expect(res.text).toContain('inställningar, appar, bilder');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(cookiesOf(res).some((c) => c.startsWith('tukiaika_lang=sv'))).toBe(true);
  });

  it('serves the stylesheet from its own origin with a year of caching', async () => {
    const page = await t.http.get('/fi').expect(200);
    const path = /href="(\/assets\/site\.[0-9a-f]{16}\.css)"/.exec(page.text)![1];
    const css = await t.http.get(path).expect(200);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.text).toContain('.hds-button');
    expect(css.text).not.toMatch(/url\(\s*["']?(https?:)?\/\//); // no request to another origin
    await t.http.get('/assets/site.0000000000000000.css').expect(404);
  });

  it('sends the stylesheet compressed to a browser that accepts it, and plain to one that does not', async () => {
    const page = await t.http.get('/fi').expect(200);
    const path = /href="(\/assets\/site\.[0-9a-f]{16}\.css)"/.exec(page.text)![1];
    const gzip = await t.http.get(path).set('accept-encoding', 'gzip').expect(200);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.headers.vary).toContain('Accept-Encoding');
    expect(gzip.text).toContain('.hds-button');
    const plain = await t.http.get(path).set('accept-encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe(gzip.text);
    expect(page.headers['content-encoding']).toBeUndefined(); // pages carry CSRF tokens: not compressed (BREACH)
  });

  it('answers a browser with an HTML 404 in its language and the API with problem+json', async () => {
    const page = await t.http.get('/en/no-such-page').set('accept', 'text/html').expect(404);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('Page not found');
    expect(page.text).toMatch(/href="\/assets\/site\.[0-9a-f]{16}\.css"/);
    const api = await t.http.get('/api/v1/no-such').set('accept', 'text/html').expect(404);
    expect(api.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('books through the form once for a double submit, refuses a missing CSRF token, and shows the manage link', async () => {
    const { location } = await bookingWorld(t);
    const start = '2027-01-05T10:00:00+02:00';
    const detailsUrl = `/fi/details?location=${location.id}&topic=smartphone-tablet&start=${encodeURIComponent(start)}`;
    const form = await t.http.get(detailsUrl).expect(200);
    const cookie = cookiesOf(form).join('; ');
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form.text)![1];
    const phone = uniquePhone();
    const body = { csrf: field('csrf'), location: location.id, topic: 'smartphone-tablet', start, idempotencyKey: field('idempotencyKey'), name: 'Aino', phone, email: '', language: 'fi', notes: '', consent: 'yes' };

    const forged = await t.http.post('/fi/details').set('cookie', cookie).type('form').send({ ...body, csrf: 'x' }).expect(422);
    expect(forged.text).toContain('Lomake oli vanhentunut');

    const missing = await t.http.post('/fi/details').set('cookie', cookie).type('form').send({ ...body, consent: '', name: '' }).expect(422);
    expect(missing.text).toContain('href="#name"');
    expect(missing.text).toContain('href="#consent"');
    expect(missing.text).toContain('<title>Virhe: Omat tietosi');
    // The language switcher leads back to this form (a GET), not to the POST address.
    expect(missing.text).toContain(`href="/sv/details?location=${location.id}&amp;topic=smartphone-tablet&amp;start=`);

    const first = await t.http.post('/fi/details').set('cookie', cookie).type('form').send(body).expect(303);
    const second = await t.http.post('/fi/details').set('cookie', cookie).type('form').send(body).expect(303);
    expect(first.headers.location).toBe('/fi/booked');
    const manage = cookiesOf(first).find((c) => c.startsWith('tukiaika_manage='))!;
    expect(cookiesOf(second)).toContain(manage);
    const { count } = (await t.db.query(`SELECT count(*)::int AS count FROM bookings WHERE resident_phone = $1`, [phone]))[0];
    expect(count).toBe(1);

    const booked = await t.http.get('/fi/booked').set('cookie', `${cookie}; ${manage}`).expect(200);
    expect(booked.text).toContain('ti 5.1.2027 klo 10.00–10.45');
    expect(booked.text).toContain(`/m/${decodeURIComponent(manage.split('=')[1])}`);
  });

  /** Opens the details form of a time and returns what its POST needs. */
  async function openForm(locationId: string, start: string) {
    const form = await t.http.get(`/fi/details?location=${locationId}&topic=smartphone-tablet&start=${encodeURIComponent(start)}`).expect(200);
    const cookie = cookiesOf(form).join('; ');
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form.text)![1];
    const body = { csrf: field('csrf'), location: locationId, topic: 'smartphone-tablet', start, idempotencyKey: field('idempotencyKey'), name: 'Aino', phone: uniquePhone(), email: '', language: 'fi', notes: '', consent: 'yes' };
    return { cookie, body };
  }

  it('turns refusals into plain words with the nearest free times, keeping what was typed', async () => {
    const { location } = await bookingWorld(t, { maxActiveBookingsPerContact: 1 });
    // Too soon: Monday 09:00 is one hour away; the branch wants two.
    const soon = await openForm(location.id, '2027-01-04T09:00:00+02:00');
    const tooSoon = await t.http.post('/fi/details').set('cookie', soon.cookie).type('form').send({ ...soon.body, name: 'Väinö' }).expect(422);
    expect(tooSoon.text).toContain('vähintään 2 tuntia etukäteen');
    expect(tooSoon.text).toContain('value="Väinö"');
    const alternative = /formaction="\/fi\/details\/retime" name="newStart" value="([^"]+)"/.exec(tooSoon.text)![1];
    // Choosing it shows the form for that time with what was typed, and books nothing yet.
    const retimed = await t.http.post('/fi/details/retime').set('cookie', soon.cookie).type('form').send({ ...soon.body, name: 'Väinö', newStart: alternative }).expect(200);
    expect(retimed.text).toContain('value="Väinö"');
    expect(retimed.text).toContain(`name="start" value="${alternative}"`);
    expect((await t.db.query('SELECT count(*)::int AS n FROM bookings WHERE resident_phone = $1', [soon.body.phone]))[0].n).toBe(0);

    // Limit reached: the contact already has its one active booking.
    const first = await openForm(location.id, '2027-01-05T10:00:00+02:00');
    await t.http.post('/fi/details').set('cookie', first.cookie).type('form').send(first.body).expect(303);
    const second = await openForm(location.id, '2027-01-05T12:00:00+02:00');
    const limited = await t.http.post('/fi/details').set('cookie', second.cookie).type('form').send({ ...second.body, phone: first.body.phone }).expect(422);
    expect(limited.text).toContain('Sinulla on jo 1 voimassa olevaa varausta.');
  });

  it('shows a browser HTML pages for 500 (with the request id) and 429, in its language', async () => {
    const boom = await t.http.get('/fi/boom').set('accept', 'text/html').set('x-request-id', 'trace-page-500').expect(500);
    expect(boom.headers['content-type']).toMatch(/text\/html/);
    expect(boom.text).toContain('Jotain meni vikaan');
    expect(boom.text).toContain('trace-page-500');
    expect(boom.text).not.toMatch(/swordfish|secret\.ts/);
    expect(boom.headers['content-security-policy']).toContain("default-src 'self'");
    const busy = await t.http.get('/fi/busy').set('accept', 'text/html').set('cookie', 'tukiaika_lang=sv').expect(429);
    expect(busy.text).toContain('Liian monta pyyntöä');
    expect(busy.headers['retry-after']).toBe('30');
    // Without text/html (a script), the same route answers problem+json.
    const json = await t.http.get('/fi/busy').expect(429);
    expect(json.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('keeps the manage token out of the address: an HttpOnly SameSite=Lax cookie and a 303', async () => {
    const { location } = await bookingWorld(t);
    const created = await t.http.post('/api/v1/bookings').send(bookingBody(location.id, '2027-01-05T10:00:00+02:00', { resident: { name: 'Aino', phone: uniquePhone(), email: null, language: 'sv' } })).expect(201);
    const token = created.body.manageToken as string;
    const res = await t.http.get(`/m/${token}`).expect(303);
    expect(res.headers.location).toBe('/sv/manage');
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('tukiaika_manage='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const manage = await t.http.get('/sv/manage').set('cookie', cookie.split(';')[0]).expect(200);
    expect(manage.text).toContain('Din bokning');
    expect(manage.text).toContain(created.body.reference);
    expect(manage.text).toContain('tis 5.1.2027 kl. 10.00–10.45');
    // The deadline is the branch's: 60 minutes before the start.
    expect(manage.text).toContain('till och med tis 5.1. kl. 9.00');
    const ics = await t.http.get('/sv/manage/calendar.ics').set('cookie', cookie.split(';')[0]).expect(200);
    expect(ics.headers['content-type']).toMatch(/text\/calendar/);
    expect(ics.text).toContain('BEGIN:VEVENT');
    await t.http.get('/sv/manage/calendar.ics').expect(404);
  });

  it('refuses a cancel without the CSRF token; a cancelled booking’s link shows it cancelled', async () => {
    const { location } = await bookingWorld(t);
    const created = await t.http.post('/api/v1/bookings').send(bookingBody(location.id, '2027-01-05T11:00:00+02:00')).expect(201);
    const visit = await t.http.get(`/m/${created.body.manageToken}`).expect(303);
    const manage = await t.http.get('/fi/manage').set('cookie', cookiesOf(visit).join('; ')).expect(200);
    expect(manage.text).toContain('href="/fi/manage/cancel"');
    const page = await t.http.get('/fi/manage/cancel').set('cookie', cookiesOf(visit).join('; ')).expect(200);
    expect(page.text).toContain('Haluatko perua varauksen?');
    const cookie = [...cookiesOf(visit), ...cookiesOf(page)].join('; ');
    const csrf = /name="csrf" value="([^"]*)"/.exec(page.text)![1];
    const forged = await t.http.post('/fi/manage/cancel').set('cookie', cookie).type('form').send({ csrf: 'forged' }).expect(200);
    expect(forged.text).toContain('Lomake oli vanhentunut');
    expect((await t.db.query('SELECT status FROM bookings WHERE id = $1', [created.body.id]))[0].status).toBe('confirmed');
    const cancelled = await t.http.post('/fi/manage/cancel').set('cookie', cookie).type('form').send({ csrf }).expect(200);
    expect(cancelled.text).toContain('Varaus on peruttu.');
    const again = await t.http.get(`/m/${created.body.manageToken}`).expect(303);
    const later = await t.http.get('/fi/manage').set('cookie', cookiesOf(again).join('; ')).expect(200);
    expect(later.text).toContain('Peruttu');
    expect(later.text).toContain('Tee uusi varaus');
    expect(later.text).not.toContain('Peru varaus');
  });

  it('a replaced link gets the friendly not-found page', async () => {
    const { location } = await bookingWorld(t);
    const created = await t.http.post('/api/v1/bookings').send(bookingBody(location.id, '2027-01-05T12:00:00+02:00')).expect(201);
    const admin = await newUser(t);
    await t.http.post(`/api/v1/bookings/${created.body.id}/manage-link`).set(admin.auth).expect(200);
    const old = await t.http.get(`/m/${created.body.manageToken}`).expect(404);
    expect(old.headers['content-type']).toMatch(/text\/html/);
    expect(old.text).toContain('Varausta ei löytynyt');
    expect(old.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^tukiaika_manage=/)]));
  });

  it('turns /m/{token} into a cookie and a redirect without the token; a wrong link gets a friendly 404', async () => {
    const wrong = await t.http.get('/m/not-a-real-token').expect(404);
    expect(wrong.text).toContain('Varausta ei löytynyt');
  });
});

describe('resident pages under the booking rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW, env: { TUKIAIKA_RATE_BOOKING_PER_IP: '1' } });
  });
  afterAll(() => t.close());

  it('counts form bookings like API bookings and says so in plain words', async () => {
    const { location } = await bookingWorld(t);
    const viaApi = bookingBody(location.id, '2027-01-05T10:00:00+02:00');
    await t.http.post('/api/v1/bookings').send(viaApi).expect(201);
    const start = '2027-01-05T11:00:00+02:00';
    const form = await t.http.get(`/en/details?location=${location.id}&topic=smartphone-tablet&start=${encodeURIComponent(start)}`).expect(200);
    const cookie = ((form.headers['set-cookie'] as unknown as string[]) ?? []).map((c) => c.split(';')[0]).join('; ');
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form.text)![1];
    const res = await t.http
      .post('/en/details')
      .set('cookie', cookie)
      .type('form')
      .send({ csrf: field('csrf'), location: location.id, topic: 'smartphone-tablet', start, idempotencyKey: field('idempotencyKey'), name: 'Alex', phone: uniquePhone(), language: 'fi', consent: 'yes' })
      .expect(429);
    expect(res.text).toContain('Too many bookings have been made from this address');
    expect(res.text).toContain('value="Alex"');
  });
});
