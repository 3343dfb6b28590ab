import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { bookingBody, BookingWorld, bookingWorld, BOOKING_NOW } from '../support/booking-fixtures';
import { nameTaxAdministration, newClaim } from '../support/claims';
import { ensurePartner, newTutor } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The resident pages in a real browser (Debian's chromium driven by playwright-core) against the
 * real app on a listening port, with the booking fixtures' world and clock. Every page visited
 * is checked with axe (WCAG 2.1 A and AA: 0 violations); the main steps are photographed at 360
 * and 1280 px wide (see SHOTS).
 */
const CHROMIUM = process.env.TUKIAIKA_CHROMIUM ?? '/usr/bin/chromium';
/** `npm run screenshots` writes them to docs/screenshots; a plain test run to .tmp (tracked files stay untouched). */
const SHOTS = path.resolve(__dirname, '../..', process.env.TUKIAIKA_SCREENSHOTS ?? '.tmp/screenshots');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

jest.setTimeout(60_000);

describe('resident pages in a browser', () => {
  let t: TestApp;
  let world: BookingWorld;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
    world = await bookingWorld(t);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.getHttpServer().address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function newPage(opts: { javaScript?: boolean; locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ javaScriptEnabled: opts.javaScript ?? true, baseURL: base, viewport: { width: 1280, height: 900 }, locale: opts.locale ?? 'fi-FI' });
    if (opts.javaScript === false) noScript.add(context);
    return { context, page: await context.newPage() };
  }
  const noScript = new WeakSet<BrowserContext>();

  /** axe needs script in the page: it runs in a script-enabled twin with the same cookies. */
  async function expectAccessible(page: Page): Promise<void> {
    const context = page.context();
    let target = page;
    let twin: BrowserContext | undefined;
    if (noScript.has(context)) {
      twin = await browser.newContext({ baseURL: base, storageState: await context.storageState() });
      target = await twin.newPage();
      await target.goto(page.url());
    }
    const result = await new AxeBuilder({ page: target }).withTags(WCAG).analyze();
    const overflow = await sidewaysOverflow(target);
    await twin?.close();
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    expect(overflow).toEqual({ 320: 0, 640: 0 });
  }

  /**
   * WCAG 1.4.10 reflow: at 320 CSS px wide (1280 px at 400 % zoom) and at 640 (200 %) the page
   * never scrolls sideways. Pixels of sideways overflow per width.
   */
  async function sidewaysOverflow(target: Page): Promise<Record<number, number>> {
    const before = target.viewportSize();
    const overflow: Record<number, number> = {};
    for (const width of [320, 640]) {
      await target.setViewportSize({ width, height: 640 });
      overflow[width] = Number(await target.evaluate('Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)'));
    }
    if (before) await target.setViewportSize(before);
    return overflow;
  }

  async function shoot(page: Page, name: string): Promise<void> {
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: width === 360 ? 740 : 900 });
      await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  async function step(page: Page, name?: string): Promise<void> {
    expect(await page.getAttribute('html', 'lang')).toMatch(/^(fi|sv|en)$/);
    await expectAccessible(page);
    if (name) await shoot(page, name);
  }

  it('books, confirms, opens the manage link and cancels in Finnish with JavaScript off', async () => {
    const { context, page } = await newPage({ javaScript: false });
    await page.goto('/');
    expect(page.url()).toBe(`${base}/fi`);
    await step(page, '1-topics');
    await page.getByRole('link', { name: /Älypuhelin ja tabletti/ }).click();
    await step(page, '2-municipality');
    await page.getByRole('link', { name: 'Kouvola' }).click();
    await step(page);
    await page.getByRole('link', { name: /Kouvolan pääkirjasto/ }).click();
    await step(page, '3-branch');
    await expect(page.locator('table.hours')).toBeTruthy();
    expect(await page.locator('table.hours').innerText()).toContain('maanantai 4.1.');
    await page.getByRole('link', { name: 'Katso vapaat ajat' }).click();
    await step(page, '4-times');
    await page.locator('.times a').first().click();
    await step(page);
    await page.getByRole('button', { name: 'Vahvista varaus' }).click();
    expect(await page.locator('#error-summary').innerText()).toContain('Kirjoita nimesi.');
    await step(page, '5-details-errors');
    await page.getByLabel('Nimi').fill('Aino');
    await page.getByLabel('Puhelinnumero').fill('040 765 4321');
    await page.getByLabel('Mitä haluaisit oppia? (vapaaehtoinen)').fill('WhatsApp-viestit');
    await page.getByLabel(/Kirjasto saa käyttää/).check();
    await page.getByRole('button', { name: 'Vahvista varaus' }).click();
    expect(page.url()).toBe(`${base}/fi/booked`);
    const reference = (await page.locator('.reference').innerText()).trim();
    expect(reference).toMatch(/^[A-Z0-9]{3}-[A-Z0-9]{3}$/);
    expect(await page.locator('main').innerText()).toMatch(/ma 4\.1\.2027 klo 1[0-3]\.00–1[0-3]\.45/);
    await step(page, '6-confirmation');
    const manageUrl = await page.locator('.manage-link a').getAttribute('href');
    expect(manageUrl).toMatch(new RegExp(`^${base}/m/`));
    await page.getByRole('link', { name: 'Tulostettava muistilappu' }).click();
    expect(await page.locator('.reference').innerText()).toBe(reference);
    await step(page, '7-slip');

    // The link from a message, in a fresh browser: cookie, redirect, no token in the address.
    const other = await newPage({ javaScript: false });
    await other.page.goto(manageUrl!);
    expect(other.page.url()).toBe(`${base}/fi/manage`);
    await step(other.page, '8-manage');
    await other.page.getByRole('link', { name: 'Peru varaus' }).click();
    await step(other.page, '8c-cancel-question');
    await other.page.getByRole('button', { name: 'Kyllä, peru varaus' }).click();
    expect(await other.page.locator('.notice').innerText()).toContain('Varaus on peruttu.');
    await step(other.page);
    expect((await t.db.query(`SELECT status FROM bookings WHERE reference = $1`, [reference]))[0].status).toBe('cancelled');
    await other.context.close();
    await context.close();
  });

  it.each([
    ['sv', 'Smarttelefon och surfplatta', 'Se lediga tider', 'Namn', 'Telefonnummer', /Biblioteket får använda/, 'Bekräfta bokningen', /kl\. 1[0-3]\.00/],
    ['en', 'Smartphone and tablet', 'See free times', 'Name', 'Phone number', /The library may use/, 'Confirm booking', /at 1[0-3]:00/],
  ])('books in %s', async (lang, topic, seeTimes, name, phone, consent, submit, when) => {
    const { context, page } = await newPage();
    await page.goto(`/${lang}`);
    await step(page);
    await page.getByRole('link', { name: new RegExp(topic) }).click();
    await page.getByRole('link', { name: 'Kouvola' }).click();
    await page.getByRole('link', { name: /Kouvola/ }).first().click();
    await step(page);
    await page.getByRole('link', { name: seeTimes }).click();
    await step(page);
    await page.locator('.times a').nth(1).click();
    await page.getByLabel(name, { exact: true }).fill('Alex');
    await page.getByLabel(phone).fill('040 765 1111');
    await page.getByLabel(consent).check();
    await page.getByRole('button', { name: submit }).click();
    expect(page.url()).toBe(`${base}/${lang}/booked`);
    expect(await page.locator('main').innerText()).toMatch(when);
    await step(page, lang === 'en' ? '6-confirmation-en' : undefined);
    await context.close();
  });

  it("books a partner's advisory session through the same steps, the partner named on the branch page, the form and the confirmation", async () => {
    const partnerId = await ensurePartner(t, randomUUID());
    await nameTaxAdministration(t, partnerId);
    const advisor = await newTutor(t, { displayName: 'Veera V.', kind: 'advisor', partnerId });
    const session = { partnerId, locationId: world.location.id, advisorIds: [advisor.id], topics: ['taxes'], languages: ['fi', 'sv'] };
    await newClaim(t, { ...session, start: '2027-01-05T15:00:00+02:00', end: '2027-01-05T16:00:00+02:00', sessionMinutes: 30 });
    await newClaim(t, { ...session, start: '2027-01-07T12:00:00+02:00', end: '2027-01-07T14:00:00+02:00', mode: 'drop-in' });

    const { page } = await newPage({ javaScript: false });
    await page.goto(`/fi/library/${world.location.id}?topic=taxes`);
    const partners = await page.locator('ul.partners').innerText();
    expect(partners).toContain('Verohallinto: neuvontaa ajanvarauksella ti 5.1. klo 15.00–16.00');
    expect(partners).toContain('Verohallinto: neuvontaa ilman ajanvarausta to 7.1. klo 12.00–14.00');
    await step(page, '3b-branch-partners');
    await page.getByRole('link', { name: 'Katso vapaat ajat' }).click();
    expect(await page.locator('.times').innerText()).toContain('Neuvoja: Verohallinto');
    await step(page);
    await page.locator('.times a').first().click();
    expect(await page.locator('dl.facts').innerText()).toContain('Verohallinto');
    await step(page);
    await page.getByLabel('Nimi').fill('Eino');
    await page.getByLabel('Puhelinnumero').fill('040 765 2468');
    await page.getByLabel(/Kirjasto saa käyttää/).check();
    await page.getByRole('button', { name: 'Vahvista varaus' }).click();
    expect(page.url()).toBe(`${base}/fi/booked`);
    const main = await page.locator('main').innerText();
    expect(main).toMatch(/ti 5\.1\.2027 klo 15\.00–15\.30/);
    expect(main).toContain('Verohallinto');
    expect(main).toMatch(/Neuvoja\s+Veera V\./); // an advisor, not a tutor
    await step(page, '6b-confirmation-advisory');
    const [row] = await t.db.query(`SELECT kind, partner_id, tutor_id FROM bookings WHERE resident_phone = '+358407652468'`);
    expect(row).toEqual({ kind: 'advisory', partner_id: partnerId, tutor_id: advisor.id });

    const sv = await newPage({ javaScript: false, locale: 'sv-FI' });
    await sv.page.goto(`/sv/library/${world.location.id}?topic=taxes`);
    expect(await sv.page.locator('ul.partners').innerText()).toContain('Skatteförvaltningen: rådgivning utan tidsbokning');
    await step(sv.page);
    const en = await newPage({ javaScript: false, locale: 'en-GB' });
    await en.page.goto(`/en/library/${world.location.id}?topic=taxes`);
    expect(await en.page.locator('ul.partners').innerText()).toContain('Tax Administration advises here, no booking needed');
    await step(en.page);
  });

  it('reaches a time with the keyboard only', async () => {
    const { context, page } = await newPage();
    await page.goto('/fi');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Siirry pääsisältöön');
    // Tab to the first topic and follow it with Enter, and so on through the flow.
    const follow = async (name: RegExp | string) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        const text = String(await page.evaluate('document.activeElement?.textContent ?? ""'));
        if (typeof name === 'string' ? text.trim() === name : name.test(text)) {
          const before = page.url();
          await Promise.all([page.waitForURL((url) => url.toString() !== before), page.keyboard.press('Enter')]);
          return;
        }
      }
      throw new Error(`no focusable ${name}`);
    };
    await follow(/Älypuhelin ja tabletti/);
    await follow('Kouvola');
    await follow(/Kouvolan pääkirjasto/);
    await follow('Katso vapaat ajat');
    expect(page.url()).toContain('/fi/times/');
    await context.close();
  });

  it('offers the nearest free times when the chosen slot is taken before confirming', async () => {
    const { context, page } = await newPage();
    const start = '2027-01-05T11:00:00+02:00';
    await page.goto(`/fi/details?location=${world.location.id}&topic=smartphone-tablet&start=${encodeURIComponent(start)}`);
    await page.getByLabel('Nimi').fill('Eino');
    await page.getByLabel('Sähköposti').fill('eino@example.fi');
    await page.getByLabel(/Kirjasto saa käyttää/).check();
    // Both tutors of that hour are booked by others meanwhile.
    for (const tutor of [world.matti, world.liisa]) {
      await t.http.post('/api/v1/bookings').send(bookingBody(world.location.id, start, { tutorId: tutor.id })).expect(201);
    }
    await page.getByRole('button', { name: 'Vahvista varaus' }).click();
    const notice = await page.locator('.notice').innerText();
    expect(notice).toContain('Joku ehti varata tämän ajan juuri ennen sinua.');
    expect(await page.locator('.notice .times button').count()).toBeGreaterThan(0);
    expect(await page.getByLabel('Nimi').inputValue()).toBe('Eino');
    await step(page, '5-details-taken');
    // An alternative keeps what was typed; confirming books it.
    await page.locator('.notice .times button').first().click();
    expect(await page.getByLabel('Nimi').inputValue()).toBe('Eino');
    expect(await page.getByLabel('Sähköposti').inputValue()).toBe('eino@example.fi');
    await step(page);
    await page.getByRole('button', { name: 'Vahvista varaus' }).click();
    expect(page.url()).toBe(`${base}/fi/booked`);
    await context.close();
  });

  it('moves a booking to another free time from the manage page, without JavaScript', async () => {
    const created = await t.http.post('/api/v1/bookings').send(bookingBody(world.location.id, '2027-01-07T12:00:00+02:00')).expect(201);
    const { context, page } = await newPage({ javaScript: false });
    await page.goto(`/m/${created.body.manageToken}`);
    expect(page.url()).toBe(`${base}/fi/manage`);
    expect(await page.locator('main').innerText()).toContain('Voit perua tai siirtää varauksen to 7.1. klo 11.00 asti.');
    await page.getByRole('link', { name: 'Siirrä toiseen aikaan' }).click();
    await step(page, '8b-move');
    await page.getByRole('link', { name: 'pe 8.1.' }).click();
    await page.getByRole('button', { name: /^13\.00/ }).click();
    expect(await page.locator('.notice').innerText()).toContain('Varaus on siirretty uuteen aikaan.');
    expect(await page.locator('main').innerText()).toContain('pe 8.1.2027 klo 13.00–13.45');
    await step(page);
    const [row] = await t.db.query(`SELECT lower(during) AS start FROM bookings WHERE id = $1`, [created.body.id]);
    expect(new Date(row.start).toISOString()).toBe('2027-01-08T11:00:00.000Z');
    await context.close();
  });

  it('answers a wrong manage link and an unknown page with friendly pages', async () => {
    const { context, page } = await newPage({ javaScript: false });
    const wrong = await page.goto('/m/this-is-not-a-token');
    expect(wrong!.status()).toBe(404);
    expect(await page.locator('h1').innerText()).toBe('Varausta ei löytynyt');
    await step(page, '9-wrong-link');
    const missing = await page.goto('/en/nothing-here');
    expect(missing!.status()).toBe(404);
    expect(await page.locator('h1').innerText()).toBe('Page not found');
    await step(page);
    for (const info of ['/fi/accessibility', '/sv/privacy', '/en/privacy']) {
      await page.goto(info);
      await step(page);
    }
    await context.close();
  });

  it('asks for a new manage link from the wrong-link page, without JavaScript, in each language', async () => {
    const { context, page } = await newPage({ javaScript: false });
    const created = await t.http.post('/api/v1/bookings').send(bookingBody(world.location.id, '2027-01-22T10:00:00+02:00')).expect(201);
    await page.goto('/m/this-is-not-a-token');
    await page.getByRole('link', { name: 'Kadotitko linkin? Tilaa uusi' }).click();
    expect(await page.locator('h1').innerText()).toBe('Kadotitko varauksesi linkin?');
    await step(page, '10-lost-link');
    await page.getByRole('button', { name: 'Lähetä uusi linkki' }).click();
    expect(await page.locator('#error-summary').innerText()).toContain('Kirjoita varaustunnus muodossa K7M-4QX.');
    await step(page);
    await page.getByLabel('Varaustunnus').fill(created.body.reference.toLowerCase());
    await page.getByLabel('Puhelinnumero tai sähköposti').fill(created.body.resident.phone);
    await page.getByRole('button', { name: 'Lähetä uusi linkki' }).click();
    expect(await page.locator('h1').innerText()).toBe('Pyyntö vastaanotettu');
    await step(page);
    const messages = await t.db.query(`SELECT channel FROM messages WHERE booking_id = $1 AND template = 'manage-link'`, [created.body.id]);
    expect(messages).toEqual([{ channel: 'sms' }]);
    for (const [lang, title] of [['sv', 'Har du tappat bort länken till din bokning?'], ['en', 'Lost the link to your booking?']]) {
      await page.goto(`/${lang}/lost-link`);
      expect(await page.locator('h1').innerText()).toBe(title);
      await step(page);
    }
    await context.close();
  });
});
