import { bookingWorld, BOOKING_NOW, uniquePhone } from '../support/booking-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** The resident pages over HTTP: language, headers, CSRF, a booking by form, HTML errors. */
describe('resident pages (HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
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

  it('answers a browser with an HTML 404 in its language and the API with problem+json', async () => {
    const page = await t.http.get('/en/no-such-page').set('accept', 'text/html').expect(404);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('Page not found');
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

  it('turns /m/{token} into a cookie and a redirect without the token; a wrong link gets a friendly 404', async () => {
    const wrong = await t.http.get('/m/not-a-real-token').expect(404);
    expect(wrong.text).toContain('Varausta ei löytynyt');
  });
});
