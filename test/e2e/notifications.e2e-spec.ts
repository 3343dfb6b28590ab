import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ICAL from 'ical.js';
import { MessagesRepository } from '../../src/modules/notifications/messages.repository';
import { Outbox } from '../../src/modules/notifications/outbox.service';
import { bookingBody, BookingWorld, bookingWorld, BOOKING_NOW, uniquePhone, weekdayRules } from '../support/booking-fixtures';
import { ensurePartner, newTutor, newUser, uniqueEmail } from '../support/factories';
import { nameTaxAdministration, newClaim } from '../support/claims';
import { parseMail, ParsedMail, startMailServer } from '../support/mail-server';
import { claimBody, claimCast, requestClaims, tuesdayOf } from '../support/claim-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Messages to residents and staff: written to the outbox with each booking event, delivered by
 * the worker (driven here by hand, with the test clock) to a real SMTP server, or as files.
 */
describe('notifications', () => {
  let t: TestApp;
  let w: BookingWorld;
  let mail: Awaited<ReturnType<typeof startMailServer>>;
  let outbox: Outbox;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'notify-'));
  const PUBLIC = 'https://digituki.example.fi';
  const FROM = 'digituki@kirjasto.example.fi';

  beforeAll(async () => {
    mail = await startMailServer();
    t = await startTestApp({
      now: BOOKING_NOW,
      env: { TUKIAIKA_SMTP_URL: mail.url, TUKIAIKA_MAIL_FROM: FROM, TUKIAIKA_PUBLIC_URL: PUBLIC, TUKIAIKA_DATA_DIR: dataDir, TUKIAIKA_MESSAGE_ATTEMPTS: '4' },
    });
    w = await bookingWorld(t);
    outbox = t.app.get(Outbox);
  });
  afterAll(async () => {
    await t.close();
    await mail.close();
  });
  beforeEach(() => {
    mail.received.length = 0;
    mail.setRefuse(() => false);
  });

  const book = async (start: string, resident: Record<string, unknown>, over: Record<string, unknown> = {}) =>
    (await t.http.post('/api/v1/bookings').send(bookingBody(w.location.id, start, { resident: { name: 'Aino Virtanen', phone: null, email: null, language: 'fi', ...resident }, ...over })).expect(201)).body;
  const mailsTo = (address: string): ParsedMail[] => mail.received.filter((m) => m.to.includes(address)).map((m) => parseMail(m.raw));
  const textOf = (m: ParsedMail) => m.parts.find((p) => p.type === 'text/plain')!.body;
  const icsOf = (m: ParsedMail) => {
    const part = m.parts.find((p) => p.type === 'text/calendar')!;
    const cal = new ICAL.Component(ICAL.parse(part.body));
    return { cal, event: new ICAL.Event(cal.getFirstSubcomponent('vevent')!) };
  };
  const messagesOf = async (bookingId: string) =>
    t.db.query(`SELECT id, template, channel, status, attempts, last_error, recipient_kind FROM messages WHERE booking_id = $1 ORDER BY created_at, template, channel`, [bookingId]);

  it('confirms a booking in the resident’s language, with the invitation at the right instant and the manage link', async () => {
    const email = uniqueEmail('aino');
    const b = await book('2027-01-05T10:00:00+02:00', { email, language: 'sv' });
    expect(await outbox.deliverDue()).toMatchObject({ sent: 1, failed: 0 });

    const [m] = mailsTo(email);
    expect(m.headers.subject).toBe('Digistöd bokat: tis 5.1. kl. 10.00');
    const [row] = (await messagesOf(b.id)).filter((r: { template: string }) => r.template === 'booking-confirmed');
    expect(m.headers['message-id']).toBe(`<${row.id}@tukiaika>`);
    const text = textOf(m);
    expect(text).toContain('Din tid för digistöd på biblioteket är bokad.');
    expect(text).toContain('Tid: tis 5.1. kl. 10.00–10.45');
    expect(text).toContain(`${PUBLIC}/m/${b.manageToken}`);
    expect(m.parts.find((p) => p.type === 'text/html')!.body).toContain(`<a href="${PUBLIC}/m/${b.manageToken}">`);

    const { cal, event } = icsOf(m);
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(event.startDate.toJSDate().toISOString()).toBe('2027-01-05T08:00:00.000Z');
    expect(event.uid).toBe(`${b.id}@tukiaika`);
    expect(String(event.organizer).toLowerCase()).toBe(`mailto:${FROM}`);
    expect(event.attendees.map((a) => String(a.getFirstValue()).toLowerCase())).toEqual([`mailto:${email}`]);

    // The resident's reminders wait for their time; nothing else went out.
    expect((await messagesOf(b.id)).map((r: { template: string; status: string }) => [r.template, r.status])).toEqual([
      ['booking-confirmed', 'sent'],
      ['booking-reminder', 'queued'],
      ['booking-reminder', 'queued'],
    ]);
  });

  it('sends METHOD:CANCEL with the same UID when the resident cancels, and no reminders after', async () => {
    const email = uniqueEmail('aino');
    const b = await book('2027-01-05T11:00:00+02:00', { email, language: 'fi' });
    await outbox.deliverDue();
    await t.http.post(`/api/v1/bookings/manage/${b.manageToken}/cancel`).send({}).expect(200);
    await outbox.deliverDue();
    const [confirmed, cancelled] = mailsTo(email);
    expect(cancelled.headers.subject).toBe('Digitukiaikasi on peruttu');
    expect(textOf(cancelled)).toContain('Peruit ajan itse.');
    const first = icsOf(confirmed);
    const second = icsOf(cancelled);
    expect(second.cal.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(second.event.uid).toBe(first.event.uid);
    expect(second.event.sequence).toBeGreaterThan(first.event.sequence);

    t.clock.set('2027-01-05T08:30:00Z');
    await outbox.deliverDue();
    expect(mailsTo(email)).toHaveLength(2);
    expect((await messagesOf(b.id)).filter((r: { template: string }) => r.template === 'booking-reminder').map((r: { status: string }) => r.status)).toEqual(['cancelled', 'cancelled']);
    t.clock.set(BOOKING_NOW);
  });

  it('reminds per the branch policy with a link that opens the booking; a move re-times the reminders', async () => {
    const email = uniqueEmail('aino');
    const phone = uniquePhone();
    const b = await book('2027-01-07T10:00:00+02:00', { email, phone, language: 'en' });
    await outbox.deliverDue();
    await t.http.post(`/api/v1/bookings/manage/${b.manageToken}/reschedule`).send({ start: '2027-01-08T10:00:00+02:00' }).expect(200);
    await outbox.deliverDue();
    expect(mailsTo(email).map((m) => m.headers.subject)).toEqual(['Digital support booked: Thu 7 Jan at 10:00', 'Your digital support time has moved: Fri 8 Jan at 10:00']);

    // The old time's reminder is not sent; the new one is, 24 h before the new time.
    t.clock.set('2027-01-06T08:00:00Z');
    await outbox.deliverDue();
    expect(mailsTo(email)).toHaveLength(2);
    t.clock.set('2027-01-07T08:00:00Z');
    await outbox.deliverDue();
    const reminder = mailsTo(email)[2];
    expect(reminder.headers.subject).toBe('Reminder: digital support Fri 8 Jan at 10:00');
    const link = /https:\/\/digituki\.example\.fi\/m\/([A-Za-z0-9_-]{43})/.exec(textOf(reminder))![1];
    const opened = await t.http.get(`/api/v1/bookings/manage/${link}`).expect(200);
    expect(opened.body).toMatchObject({ id: b.id, start: '2027-01-08T10:00:00+02:00' });

    // The SMS reminder, 2 h before, as a file (no gateway configured), short and in English.
    t.clock.set('2027-01-08T06:00:00Z');
    await outbox.deliverDue();
    const smsRows: { id: string }[] = await t.db.query(`SELECT id FROM messages WHERE booking_id = $1 AND channel = 'sms' AND template = 'booking-reminder' AND status = 'sent'`, [b.id]);
    expect(smsRows).toHaveLength(1);
    const sms = JSON.parse(readFileSync(path.join(dataDir, 'outbox', `${smsRows[0].id}.sms.json`), 'utf8'));
    expect(sms).toEqual({ id: smsRows[0].id, to: phone, text: `Reminder: digital support Fri 8 Jan at 10:00, Kouvola Main Library. ${PUBLIC}/m/${b.manageToken}` });
    expect(sms.text.length).toBeLessThanOrEqual(160);
    t.clock.set(BOOKING_NOW);
  });

  it('tells each resident of a closure once, with its public reason; an absence’s reason reaches nobody', async () => {
    const staff = await newUser(t, { role: 'staff', locationIds: [w.location.id] });
    const [e1, e2, e3] = [uniqueEmail('a'), uniqueEmail('b'), uniqueEmail('c')];
    const b1 = await book('2027-01-11T10:00:00+02:00', { email: e1 }, { tutorId: w.matti.id });
    const b2 = await book('2027-01-11T10:00:00+02:00', { email: e2 }, { tutorId: w.liisa.id });
    const b3 = await book('2027-01-12T10:00:00+02:00', { email: e3 }, { tutorId: w.matti.id });
    await outbox.deliverDue();
    mail.received.length = 0;

    await t.http
      .post(`/api/v1/locations/${w.location.id}/closures`)
      .set(staff.auth)
      .send({ start: '2027-01-11T00:00:00+02:00', end: '2027-01-12T00:00:00+02:00', reason: 'Vesivahinko', cancelAffected: true })
      .expect(201);
    await t.http
      .post(`/api/v1/tutors/${w.matti.id}/absences`)
      .set(staff.auth)
      .send({ start: '2027-01-12T00:00:00+02:00', end: '2027-01-13T00:00:00+02:00', reason: 'Flunssa ja kuumetta', cancelAffected: true })
      .expect(201);
    await outbox.deliverDue();

    for (const address of [e1, e2]) {
      const got = mailsTo(address);
      expect(got).toHaveLength(1);
      expect(textOf(got[0])).toContain('Kirjasto on tuolloin suljettu.');
      expect(textOf(got[0])).toContain('Syy: Vesivahinko');
    }
    const [absent] = mailsTo(e3);
    expect(textOf(absent)).toContain('Opastaja ei pääse paikalle.');
    expect(mail.received.every((m) => !m.raw.includes('Flunssa'))).toBe(true);
    expect([b1, b2, b3].length).toBe(3);
  });

  it('tells the residents of a branch taken out of use, and of opening hours that no longer cover them, why', async () => {
    const admin = await newUser(t, { role: 'admin' });
    const other = await bookingWorld(t);
    const [e1, e2] = [uniqueEmail('gone'), uniqueEmail('hours')];
    const bookAt = (email: string, start: string) =>
      t.http.post('/api/v1/bookings').send(bookingBody(other.location.id, start, { resident: { name: 'Aino', phone: null, email, language: 'sv' } })).expect(201);
    await bookAt(e2, '2027-01-18T10:00:00+02:00');
    await t.http.put(`/api/v1/locations/${other.location.id}/exceptions/2027-01-18`).set(admin.auth).send({ hours: [], cancelAffected: true }).expect(200);
    await bookAt(e1, '2027-01-19T10:00:00+02:00');
    await t.http.delete(`/api/v1/locations/${other.location.id}`).query({ cancelAffected: 'true' }).set(admin.auth).expect(200);
    await outbox.deliverDue();
    const cancellation = (email: string) => mailsTo(email).find((m) => m.headers.subject === 'Din tid för digistöd är inställd')!;
    expect(textOf(cancellation(e1))).toContain('Biblioteket erbjuder inte längre digistöd.');
    expect(textOf(cancellation(e2))).toContain('Bibliotekets öppettider har ändrats.');
  });

  it('tells a tutor’s users about sessions booked and cancelled for them, unless they opted out', async () => {
    const tutorUser = await newUser(t, { role: 'tutor', tutorId: w.liisa.id });
    const b = await book('2027-01-08T13:00:00+02:00', { email: uniqueEmail('r') }, { tutorId: w.liisa.id });
    await t.http.post(`/api/v1/bookings/manage/${b.manageToken}/cancel`).send({}).expect(200);
    await outbox.deliverDue();
    const got = mailsTo(tutorUser.email);
    expect(got.map((m) => m.headers.subject).sort()).toEqual(['Uusi varaus pe 8.1. klo 13.00', 'Varaus peruttu pe 8.1. klo 13.00']);
    expect(got.every((m) => !textOf(m).includes('Aino'))).toBe(true);

    const staff = await newUser(t, { role: 'staff', locationIds: [w.location.id] });
    const optedOut = await t.http.patch(`/api/v1/users/${tutorUser.id}`).set(staff.auth).send({ notify: false }).expect(200);
    expect(optedOut.body).toMatchObject({ id: tutorUser.id, notify: false, active: true });
    await book('2027-01-08T12:00:00+02:00', { email: uniqueEmail('r') }, { tutorId: w.liisa.id });
    await outbox.deliverDue();
    expect(mailsTo(tutorUser.email)).toHaveLength(2);
  });

  it('tells a partner’s users when their claim is approved, rejected or cancelled, with the library’s reason', async () => {
    const partnerId = randomUUID();
    const partnerUser = await newUser(t, { role: 'partner', partnerId });
    const optedOut = await newUser(t, { role: 'partner', partnerId });
    await t.db.query(`UPDATE users SET notify = false WHERE id = $1`, [optedOut.id]);
    // The claims module writes claims and their events; here they are written as it does, in SQL.
    const [{ id: seriesId }] = await t.db.query(`INSERT INTO claim_series (partner_id, location_id) VALUES ($1, $2) RETURNING id`, [partnerId, w.location.id]);
    const claim = async (type: string, reason: string | null) => {
      const [{ id }] = await t.db.query(
        `INSERT INTO claims (series_id, partner_id, location_id, during, mode, languages, status, requested_at)
         VALUES ($1, $2, $3, tstzrange('2027-01-20T08:00:00Z', '2027-01-20T12:00:00Z'), 'drop-in', '{fi}', $4, $5) RETURNING id`,
        [seriesId, partnerId, w.location.id, type, t.clock.now()],
      );
      await t.db.query(`INSERT INTO claim_events (claim_id, type, at, actor_type, reason) VALUES ($1, 'requested', $2, 'user', NULL), ($1, $3, $2, 'user', $4)`, [id, t.clock.now(), type, reason]);
      return id as string;
    };
    const approved = await claim('approved', null);
    await claim('rejected', 'Sali on varattu remonttiin');
    await outbox.deliverDue();
    const got = mailsTo(partnerUser.email);
    expect(got.map((m) => m.headers.subject).sort()).toEqual(['Neuvonta-aika hyväksytty ke 20.1. klo 10.00', 'Neuvonta-aikaa ei hyväksytty ke 20.1. klo 10.00']);
    const rejected = got.find((m) => m.headers.subject.startsWith('Neuvonta-aikaa ei'))!;
    expect(textOf(rejected)).toContain('Syy: Sali on varattu remonttiin');
    expect(textOf(rejected)).toContain('Aika: ke 20.1. klo 10.00–14.00');
    expect(mailsTo(optedOut.email)).toEqual([]);
    const [row] = await t.db.query(`SELECT claim_id, location_id, status FROM messages WHERE claim_id = $1`, [approved]);
    expect(row).toEqual({ claim_id: approved, location_id: w.location.id, status: 'sent' });
  });

  it('tells a partner’s users of a claim decided through the claims routes: approved, then cancelled with the reason', async () => {
    const cast = await claimCast(t);
    const { items } = await requestClaims(t, cast.userP, cast.P, claimBody(cast.A.id, [cast.advisorsP[0].id], tuesdayOf(2, '10:00', '12:00')));
    await t.http.post(`/api/v1/claims/${items[0].id}/approve`).set(cast.staffA.auth).send({}).expect(200);
    await t.http.post(`/api/v1/claims/${items[0].id}/cancel`).set(cast.staffA.auth).send({ reason: 'Vesivahinko' }).expect(200);
    await outbox.deliverDue();
    const got = mailsTo(cast.userP.email);
    expect(got.map((m) => m.headers.subject).sort()).toEqual(['Neuvonta-aika hyväksytty ti 26.1. klo 10.00', 'Neuvonta-aika peruttu ti 26.1. klo 10.00']);
    expect(textOf(got.find((m) => m.headers.subject.includes('peruttu'))!)).toContain('Syy: Vesivahinko');
    expect(mailsTo(cast.userQ.email)).toEqual([]);
  });

  it('tells the old tutor of a move to another tutor as a cancellation and the new one as a booking; the same tutor as a move', async () => {
    const other = await bookingWorld(t);
    const admin = await newUser(t, { role: 'admin' });
    const [mattiUser, liisaUser] = [await newUser(t, { role: 'tutor', tutorId: other.matti.id }), await newUser(t, { role: 'tutor', tutorId: other.liisa.id })];
    const b = (
      await t.http
        .post('/api/v1/bookings')
        .send(bookingBody(other.location.id, '2027-01-21T10:00:00+02:00', { tutorId: other.matti.id, resident: { name: 'Aino', phone: uniquePhone(), email: null, language: 'fi' } }))
        .expect(201)
    ).body;
    await t.http.post(`/api/v1/bookings/${b.id}/reschedule`).set(admin.auth).send({ start: '2027-01-21T11:00:00+02:00', tutorId: other.matti.id }).expect(200);
    await t.http.post(`/api/v1/bookings/${b.id}/reschedule`).set(admin.auth).send({ start: '2027-01-21T12:00:00+02:00', tutorId: other.liisa.id }).expect(200);
    await outbox.deliverDue();
    expect(mailsTo(mattiUser.email).map((m) => m.headers.subject)).toEqual(
      expect.arrayContaining(['Uusi varaus to 21.1. klo 10.00', 'Varaus siirretty to 21.1. klo 11.00', 'Varaus peruttu to 21.1. klo 11.00']),
    );
    expect(mailsTo(mattiUser.email)).toHaveLength(3);
    expect(mailsTo(liisaUser.email).map((m) => m.headers.subject)).toEqual(['Uusi varaus to 21.1. klo 12.00']);
  });

  it('tells the staff of a branch when a shared tutor’s absence recorded elsewhere hits their bookings, without its reason', async () => {
    const other = await bookingWorld(t);
    const shared = await newTutor(t, {
      locationIds: [w.location.id, other.location.id].sort(),
      topics: ['smartphone-tablet'],
      rules: [...weekdayRules(w.location.id, '15:00', '17:00'), ...weekdayRules(other.location.id, '10:00', '14:00')],
    });
    const staffHere = await newUser(t, { role: 'staff', locationIds: [w.location.id] });
    const staffThere = await newUser(t, { role: 'staff', locationIds: [other.location.id] });
    const here = (
      await t.http
        .post('/api/v1/bookings')
        .send(bookingBody(w.location.id, '2027-01-25T15:00:00+02:00', { tutorId: shared.id, resident: { name: 'Aino', phone: null, email: uniqueEmail('r'), language: 'fi' } }))
        .expect(201)
    ).body;
    await t.http
      .post(`/api/v1/tutors/${shared.id}/absences`)
      .set(staffThere.auth)
      .send({ start: '2027-01-25T00:00:00+02:00', end: '2027-01-26T00:00:00+02:00', reason: 'Leikkaus' })
      .expect(201);
    await outbox.deliverDue();
    const [told] = mailsTo(staffHere.email).filter((m) => m.headers.subject.startsWith('Opastaja poissa'));
    expect(told.headers.subject).toBe(`Opastaja poissa: varaus ${here.reference}`);
    expect(textOf(told)).toContain('Aika: ma 25.1. klo 15.00–15.45');
    expect(mail.received.every((m) => !m.raw.includes('Leikkaus'))).toBe(true);
    expect(mailsTo(staffThere.email).filter((m) => m.headers.subject.startsWith('Opastaja poissa'))).toEqual([]);
  });

  it('retries a refusing server with growing waits and delivers once, recording the attempts', async () => {
    const email = uniqueEmail('retry');
    let refusals = 0;
    mail.setRefuse((to) => to === email && refusals++ < 3);
    const b = await book('2027-01-13T10:00:00+02:00', { email });
    expect(await outbox.deliverDue()).toMatchObject({ failed: 1 });
    const row = async () => (await messagesOf(b.id)).find((r: { template: string }) => r.template === 'booking-confirmed');
    expect(await row()).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await row()).last_error).toContain('451');
    expect((await row()).last_error).not.toContain(email);
    expect(await outbox.deliverDue()).toMatchObject({ sent: 0, failed: 0 }); // not due yet
    for (const minutes of [1, 4, 16]) {
      t.clock.advance(minutes * 60_000);
      await outbox.deliverDue();
    }
    expect(mailsTo(email)).toHaveLength(1);
    expect(await row()).toMatchObject({ status: 'sent', attempts: 4, last_error: null });
    t.clock.set(BOOKING_NOW);
  });

  it('dead-letters a message the server keeps refusing, with the reason', async () => {
    const email = uniqueEmail('dead');
    mail.setRefuse((to) => to === email);
    const b = await book('2027-01-13T11:00:00+02:00', { email });
    for (let i = 0; i < 6; i++) {
      await outbox.deliverDue();
      t.clock.advance(3 * 3_600_000);
    }
    const row = (await messagesOf(b.id)).find((r: { template: string }) => r.template === 'booking-confirmed');
    expect(row).toMatchObject({ status: 'dead', attempts: 4 });
    expect(row.last_error).toMatch(/451/);

    // Listed for the admin and the branch's staff (not another branch's, not a tutor), and retried.
    const admin = await newUser(t, { role: 'admin' });
    const staff = await newUser(t, { role: 'staff', locationIds: [w.location.id] });
    const elsewhere = await newUser(t, { role: 'staff', locationIds: [randomUUID()] });
    const tutor = await newUser(t, { role: 'tutor', tutorId: w.matti.id });
    const listed = await t.http.get('/api/v1/messages').query({ status: 'dead' }).set(staff.auth).expect(200);
    const item = listed.body.items.find((m: { id: string }) => m.id === row.id);
    expect(item).toMatchObject({ template: 'booking-confirmed', channel: 'email', recipientKind: 'resident', status: 'dead', attempts: 4, bookingId: b.id, locationId: w.location.id });
    expect(item.lastError).toMatch(/451/);
    expect(JSON.stringify(listed.body)).not.toContain(email);
    expect((await t.http.get('/api/v1/messages').set(admin.auth).expect(200)).body.items.map((m: { id: string }) => m.id)).toContain(row.id);
    expect((await t.http.get('/api/v1/messages').set(elsewhere.auth).expect(200)).body.items).toEqual([]);
    await t.http.get('/api/v1/messages').set(tutor.auth).expect(403);
    await t.http.post(`/api/v1/messages/${row.id}/retry`).set(elsewhere.auth).expect(404);
    await t.http.get('/api/v1/messages').query({ status: 'lost' }).set(admin.auth).expect(422);
    await t.http.get('/api/v1/messages').query({ from: '2027-01-01' }).set(admin.auth).expect(422);

    mail.setRefuse(() => false);
    const retried = await t.http.post(`/api/v1/messages/${row.id}/retry`).set(staff.auth).expect(200);
    expect(retried.body).toMatchObject({ id: row.id, status: 'queued', attempts: 0 });
    await outbox.deliverDue();
    expect(mailsTo(email)).toHaveLength(1);
    const again = await t.http.post(`/api/v1/messages/${row.id}/retry`).set(staff.auth).expect(409);
    expect(again.body.type).toBe('/problems/invalid-transition');
    t.clock.set(BOOKING_NOW);
  });

  it('sends again with the same Message-ID when the worker died between sending and recording; once when it died before sending', async () => {
    const repo = t.app.get(MessagesRepository);
    const email = uniqueEmail('crash');
    const b = await book('2027-01-14T10:00:00+02:00', { email });
    const [{ id: target }] = await t.db.query(`SELECT id FROM messages WHERE booking_id = $1 AND template = 'booking-confirmed'`, [b.id]);
    const markSent = repo.markSent.bind(repo);
    const spy = jest.spyOn(repo, 'markSent').mockImplementation(async (id, ...rest) => {
      if (id === target) throw new Error('worker killed');
      return markSent(id, ...rest);
    });
    await expect(outbox.deliverDue()).rejects.toThrow('worker killed');
    spy.mockRestore();
    expect(mailsTo(email)).toHaveLength(1);
    await outbox.deliverDue(); // its claim has not run out: nobody takes it meanwhile
    expect(mailsTo(email)).toHaveLength(1);
    t.clock.advance(11 * 60_000);
    await outbox.deliverDue();
    const [first, again] = mailsTo(email);
    expect(again.headers['message-id']).toBe(first.headers['message-id']);
    expect((await messagesOf(b.id)).find((r: { template: string }) => r.template === 'booking-confirmed')).toMatchObject({ status: 'sent', attempts: 2 });

    // Died after claiming, before sending: sent once, when the claim runs out.
    const other = uniqueEmail('crash');
    await book('2027-01-14T11:00:00+02:00', { email: other });
    await repo.claimDue(t.clock.now(), new Date(t.clock.now().getTime() + 10 * 60_000), 100);
    await outbox.deliverDue();
    expect(mailsTo(other)).toHaveLength(0);
    t.clock.advance(11 * 60_000);
    await outbox.deliverDue();
    expect(mailsTo(other)).toHaveLength(1);
    t.clock.set(BOOKING_NOW);
  });

  it('gives back a claimed message it did not try: due at once, its attempt not counted, then sent once', async () => {
    const repo = t.app.get(MessagesRepository);
    const email = uniqueEmail('released');
    const b = await book('2027-01-14T12:00:00+02:00', { email });
    const now = t.clock.now();
    const claimed = (await repo.claimDue(now, new Date(now.getTime() + 10 * 60_000), 100)).filter((m) => m.booking?.id === b.id && m.recipientKind === 'resident');
    expect(claimed.map((m) => [m.template, m.attempt])).toEqual([['booking-confirmed', 1]]);
    await repo.release(claimed, now);
    expect((await messagesOf(b.id)).find((r: { template: string }) => r.template === 'booking-confirmed')).toMatchObject({ status: 'queued', attempts: 0 });
    await outbox.deliverDue(); // no need to wait for the lease
    expect(mailsTo(email)).toHaveLength(1);
    expect((await messagesOf(b.id)).find((r: { template: string }) => r.template === 'booking-confirmed')).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('deletes finished messages after 30 days, and nothing still to send', async () => {
    const b = await book('2027-01-15T10:00:00+02:00', { email: uniqueEmail('old') });
    await outbox.deliverDue();
    const statuses = async () =>
      (await messagesOf(b.id)).filter((r: { recipient_kind: string }) => r.recipient_kind === 'resident').map((r: { template: string; status: string }) => `${r.template}:${r.status}`);
    expect(await statuses()).toEqual(['booking-confirmed:sent', 'booking-reminder:queued', 'booking-reminder:queued']);
    t.clock.advance(29 * 24 * 3_600_000);
    await outbox.purgeFinished();
    expect(await statuses()).toHaveLength(3);
    t.clock.advance(2 * 24 * 3_600_000);
    expect(await outbox.purgeFinished()).toBeGreaterThanOrEqual(1);
    expect(await statuses()).toEqual(['booking-reminder:queued', 'booking-reminder:queued']);
    t.clock.set(BOOKING_NOW);
  });

  it('sends without the link when the stored token cannot be opened (another auth secret)', async () => {
    const email = uniqueEmail('secret');
    const b = await book('2027-01-15T11:00:00+02:00', { email });
    await t.db.query(`UPDATE bookings SET manage_token_encrypted = $2 WHERE id = $1`, [b.id, Buffer.alloc(60, 7)]);
    await outbox.deliverDue();
    const [m] = mailsTo(email);
    expect(m.headers.subject).toBe('Digitukiaika varattu: pe 15.1. klo 11.00');
    expect(textOf(m)).not.toContain('/m/');
  });

  it('writes e-mails as .eml files when no SMTP server is configured', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'notify-files-'));
    const files = await startTestApp({ now: BOOKING_NOW, env: { TUKIAIKA_DATA_DIR: dir, TUKIAIKA_PUBLIC_URL: PUBLIC } });
    try {
      const fw = await bookingWorld(files);
      const email = uniqueEmail('file');
      const b = (await files.http.post('/api/v1/bookings').send(bookingBody(fw.location.id, '2027-01-05T10:00:00+02:00', { resident: { name: 'Aino Virtanen', phone: null, email, language: 'fi' } })).expect(201)).body;
      await files.app.get(Outbox).deliverDue();
      const eml = readdirSync(path.join(dir, 'outbox')).filter((f) => f.endsWith('.eml'));
      expect(eml).toHaveLength(1);
      const parsed = parseMail(readFileSync(path.join(dir, 'outbox', eml[0]), 'utf8'));
      expect(parsed.headers.subject).toBe('Digitukiaika varattu: ti 5.1. klo 10.00');
      expect(textOf(parsed)).toContain(`${PUBLIC}/m/${b.manageToken}`);
    } finally {
      await files.close();
    }
  });

  it('names the partner of an advisory session and calls its advisor one, in the text and the invitation', async () => {
    t.clock.set(BOOKING_NOW);
    const partnerId = await ensurePartner(t, randomUUID());
    await nameTaxAdministration(t, partnerId);
    const advisor = await newTutor(t, { displayName: 'Veera V.', kind: 'advisor', partnerId });
    const claim = await newClaim(t, { partnerId, locationId: w.location.id, advisorIds: [advisor.id], start: '2027-01-12T15:00:00+02:00', end: '2027-01-12T16:00:00+02:00', sessionMinutes: 30, topics: ['taxes'], languages: ['fi'] });
    const email = uniqueEmail('eino');
    await book('2027-01-12T15:00:00+02:00', { email }, { kind: 'advisory', claimId: claim.id, topic: 'taxes', tutorId: advisor.id });
    await outbox.deliverDue();
    const [m] = mailsTo(email);
    expect(textOf(m)).toContain('Kumppani: Verohallinto\nNeuvoja: Veera V.');
    expect(icsOf(m).event.summary).toContain('(Verohallinto)');
  });
});

describe('lost link', () => {
  let t: TestApp;
  let w: BookingWorld;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lost-'));

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW, env: { TUKIAIKA_DATA_DIR: dataDir, TUKIAIKA_PUBLIC_URL: 'https://digituki.example.fi', TUKIAIKA_RATE_BOOKING_PER_IP: '1000' } });
    w = await bookingWorld(t);
  });
  afterAll(() => t.close());

  const resend = (body: Record<string, unknown>, ip = '192.0.2.1') => t.http.post('/api/v1/bookings/manage-link/resend').set('X-Forwarded-For', ip).send(body);
  const renewals = async (bookingId: string) =>
    t.db.query(`SELECT channel, template FROM messages WHERE booking_id = $1 AND template = 'manage-link' ORDER BY channel`, [bookingId]);

  it('sends a new link to the contact given only, kills the old one, and answers the same when nothing matches', async () => {
    const phone = uniquePhone();
    const email = uniqueEmail('lost');
    const b = (await t.http.post('/api/v1/bookings').send(bookingBody(w.location.id, '2027-01-05T10:00:00+02:00', { resident: { name: 'Aino', phone, email, language: 'fi' } })).expect(201)).body;

    const local = `0${phone.slice(4, 6)} ${phone.slice(6)}`;
    const hit = await resend({ reference: b.reference.toLowerCase().replace('-', ' '), contact: local }).expect(202);
    const miss = await resend({ reference: b.reference, contact: '040 000 0000' }).expect(202);
    const unknown = await resend({ reference: 'ZZZ-ZZZ', contact: email }).expect(202);
    expect([hit.text, miss.text, unknown.text]).toEqual(['', '', '']);
    expect(await renewals(b.id)).toEqual([{ channel: 'sms', template: 'manage-link' }]);
    await t.http.get(`/api/v1/bookings/manage/${b.manageToken}`).expect(404);

    await t.app.get(Outbox).deliverDue();
    const [row] = await t.db.query(`SELECT id FROM messages WHERE booking_id = $1 AND template = 'manage-link'`, [b.id]);
    const sms = JSON.parse(readFileSync(path.join(dataDir, 'outbox', `${row.id}.sms.json`), 'utf8'));
    const token = /\/m\/([A-Za-z0-9_-]{43})$/.exec(sms.text)![1];
    await t.http.get(`/api/v1/bookings/manage/${token}`).expect(200);

    await resend({ reference: b.reference, contact: email.toUpperCase() }).expect(202);
    expect(await renewals(b.id)).toEqual([{ channel: 'email', template: 'manage-link' }, { channel: 'sms', template: 'manage-link' }]);
  });

  it('is rate-limited per reference', async () => {
    await resend({ reference: 'QQQ-QQQ', contact: '040 123 4567' }, '192.0.2.7').expect(202);
    await resend({ reference: 'qqq qqq', contact: '040 123 4567' }, '192.0.2.8').expect(202);
    await resend({ reference: 'QQQQQQ', contact: 'x@example.fi' }, '192.0.2.9').expect(202);
    const refused = await resend({ reference: 'QQQ-QQQ', contact: '040 123 4567' }, '192.0.2.10').expect(429);
    expect(refused.body.type).toBe('/problems/rate-limited');
    expect(refused.headers['retry-after']).toBeDefined();
  });
});

describe('reminder policy', () => {
  let t: TestApp;
  let w: BookingWorld;
  let staff: Awaited<ReturnType<typeof newUser>>;

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW, env: { TUKIAIKA_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'policy-')) } });
    w = await bookingWorld(t);
    staff = await newUser(t, { role: 'staff', locationIds: [w.location.id] });
  });
  afterAll(() => t.close());

  const patch = (policy: Record<string, unknown>) => t.http.patch(`/api/v1/locations/${w.location.id}`).set(staff.auth).send({ policy });
  const remindersOf = async (start: string) => {
    const b = (await t.http.post('/api/v1/bookings').send(bookingBody(w.location.id, start, { resident: { name: 'Aino', phone: uniquePhone(), email: uniqueEmail('p'), language: 'fi' } })).expect(201)).body;
    return (await t.db.query(`SELECT channel, next_attempt_at FROM messages WHERE booking_id = $1 AND template = 'booking-reminder' ORDER BY next_attempt_at`, [b.id])).map(
      (r: { channel: string; next_attempt_at: Date }) => [r.channel, r.next_attempt_at.toISOString()],
    );
  };

  it('sends 24 h by e-mail and 2 h by SMS by default, and what the branch sets instead', async () => {
    expect((await t.http.get(`/api/v1/locations/${w.location.id}`).expect(200)).body.policy.reminders).toEqual([
      { hoursBefore: 24, channel: 'email' },
      { hoursBefore: 2, channel: 'sms' },
    ]);
    expect(await remindersOf('2027-01-12T10:00:00+02:00')).toEqual([
      ['email', '2027-01-11T08:00:00.000Z'],
      ['sms', '2027-01-12T06:00:00.000Z'],
    ]);
    const changed = await patch({ reminders: [{ hoursBefore: 48, channel: 'sms' }] }).expect(200);
    expect(changed.body.policy).toMatchObject({ reminders: [{ hoursBefore: 48, channel: 'sms' }], minNoticeMinutes: 120 });
    expect(await remindersOf('2027-01-12T11:00:00+02:00')).toEqual([['sms', '2027-01-10T09:00:00.000Z']]);
    await patch({ minNoticeMinutes: 60 }).expect(200);
    expect((await t.http.get(`/api/v1/locations/${w.location.id}`).expect(200)).body.policy.reminders).toEqual([{ hoursBefore: 48, channel: 'sms' }]);
    await patch({ reminders: [] }).expect(200);
    expect(await remindersOf('2027-01-12T12:00:00+02:00')).toEqual([]);
  });

  it('refuses reminders it cannot send', async () => {
    for (const reminders of [[{ hoursBefore: 0, channel: 'email' }], [{ hoursBefore: 24, channel: 'fax' }], [{ hoursBefore: 24 }], Array(6).fill({ hoursBefore: 1, channel: 'sms' }), 'daily']) {
      const res = await patch({ reminders }).expect(422);
      expect(res.body.errors[0].field).toMatch(/^policy\.reminders/);
    }
  });
});
