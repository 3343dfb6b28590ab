import { randomUUID } from 'node:crypto';
import { bookingBody, BOOKING_NOW, bookingWorld, weekdayRules } from '../support/booking-fixtures';
import { ensurePartner, newLocation, newTutor, newUser, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 18: every route in the router's own table × every kind of caller, each using the ids of
 * branch A's resources (which only the admin and A's people may see). EXPECTED gives each
 * route's answer per caller; a route without an entry fails, so a new route cannot be forgotten.
 * Set TUKIAIKA_ACCESS_MATRIX_PRINT=1 to print what the service answers now.
 */

const CALLERS = ['anonymous', 'partner', 'otherTutor', 'tutor', 'staffOther', 'staffShared', 'admin'] as const;
type Caller = (typeof CALLERS)[number];
/** One status per caller, in CALLERS order. */
type Row = [number, number, number, number, number, number, number];

/*
 * Callers: anonymous; a partner user; otherTutor = a tutor of branch B; tutor = Liisa, a tutor of
 * A who is not the booking's tutor; staffOther = staff of B (no tutor in common with A);
 * staffShared = staff of S, where Matti (A's booking's tutor) also works; admin.
 * Resources: branch A, its closure, room and exception; Matti (shared by A and S) and his
 * absence; a booking of Matti at A (and its manage token); staff A's account; a topic.
 */
const EXPECTED: Record<string, Row> = {
  // The resident pages: public, the same for every caller (they read no Bearer token). Without the
  // flow's query (topic, branch, time) or the manage cookie a step answers the friendly 404 page;
  // / and /m/{token} redirect (303).
  'GET /': [303, 303, 303, 303, 303, 303, 303],
  'GET /assets/:file': [404, 404, 404, 404, 404, 404, 404],
  'GET /en': [200, 200, 200, 200, 200, 200, 200],
  'GET /en/accessibility': [200, 200, 200, 200, 200, 200, 200],
  'GET /en/booked': [404, 404, 404, 404, 404, 404, 404],
  'GET /en/booked/slip': [404, 404, 404, 404, 404, 404, 404],
  'GET /en/details': [404, 404, 404, 404, 404, 404, 404],
  'GET /en/library/:id': [404, 404, 404, 404, 404, 404, 404],
  'GET /en/manage': [404, 404, 404, 404, 404, 404, 404],
  'GET /en/manage/calendar.ics': [404, 404, 404, 404, 404, 404, 404],
  'GET /en/manage/cancel': [404, 404, 404, 404, 404, 404, 404],
  'GET /en/manage/move': [404, 404, 404, 404, 404, 404, 404],
  'GET /en/privacy': [200, 200, 200, 200, 200, 200, 200],
  'GET /en/times/:id': [404, 404, 404, 404, 404, 404, 404],
  'GET /en/where': [404, 404, 404, 404, 404, 404, 404],
  'GET /fi': [200, 200, 200, 200, 200, 200, 200],
  'GET /fi/accessibility': [200, 200, 200, 200, 200, 200, 200],
  'GET /fi/booked': [404, 404, 404, 404, 404, 404, 404],
  'GET /fi/booked/slip': [404, 404, 404, 404, 404, 404, 404],
  'GET /fi/details': [404, 404, 404, 404, 404, 404, 404],
  'GET /fi/library/:id': [404, 404, 404, 404, 404, 404, 404],
  'GET /fi/manage': [404, 404, 404, 404, 404, 404, 404],
  'GET /fi/manage/calendar.ics': [404, 404, 404, 404, 404, 404, 404],
  'GET /fi/manage/cancel': [404, 404, 404, 404, 404, 404, 404],
  'GET /fi/manage/move': [404, 404, 404, 404, 404, 404, 404],
  'GET /fi/privacy': [200, 200, 200, 200, 200, 200, 200],
  'GET /fi/times/:id': [404, 404, 404, 404, 404, 404, 404],
  'GET /fi/where': [404, 404, 404, 404, 404, 404, 404],
  'GET /m/:token': [303, 303, 303, 303, 303, 303, 303],
  'GET /sv': [200, 200, 200, 200, 200, 200, 200],
  'GET /sv/accessibility': [200, 200, 200, 200, 200, 200, 200],
  'GET /sv/booked': [404, 404, 404, 404, 404, 404, 404],
  'GET /sv/booked/slip': [404, 404, 404, 404, 404, 404, 404],
  'GET /sv/details': [404, 404, 404, 404, 404, 404, 404],
  'GET /sv/library/:id': [404, 404, 404, 404, 404, 404, 404],
  'GET /sv/manage': [404, 404, 404, 404, 404, 404, 404],
  'GET /sv/manage/calendar.ics': [404, 404, 404, 404, 404, 404, 404],
  'GET /sv/manage/cancel': [404, 404, 404, 404, 404, 404, 404],
  'GET /sv/manage/move': [404, 404, 404, 404, 404, 404, 404],
  'GET /sv/privacy': [200, 200, 200, 200, 200, 200, 200],
  'GET /sv/times/:id': [404, 404, 404, 404, 404, 404, 404],
  'GET /sv/where': [404, 404, 404, 404, 404, 404, 404],
  'POST /en/details': [404, 404, 404, 404, 404, 404, 404],
  'POST /en/details/retime': [404, 404, 404, 404, 404, 404, 404],
  'POST /en/manage/cancel': [404, 404, 404, 404, 404, 404, 404],
  'POST /en/manage/move': [404, 404, 404, 404, 404, 404, 404],
  'POST /fi/details': [404, 404, 404, 404, 404, 404, 404],
  'POST /fi/details/retime': [404, 404, 404, 404, 404, 404, 404],
  'POST /fi/manage/cancel': [404, 404, 404, 404, 404, 404, 404],
  'POST /fi/manage/move': [404, 404, 404, 404, 404, 404, 404],
  'POST /sv/details': [404, 404, 404, 404, 404, 404, 404],
  'POST /sv/details/retime': [404, 404, 404, 404, 404, 404, 404],
  'POST /sv/manage/cancel': [404, 404, 404, 404, 404, 404, 404],
  'POST /sv/manage/move': [404, 404, 404, 404, 404, 404, 404],
  'GET /api/docs': [200, 200, 200, 200, 200, 200, 200],
  'GET /api/docs-yaml': [200, 200, 200, 200, 200, 200, 200],
  'GET /api/docs.json': [200, 200, 200, 200, 200, 200, 200],
  'GET /api/docs/': [200, 200, 200, 200, 200, 200, 200],
  'GET /api/docs/*': [200, 200, 200, 200, 200, 200, 200],
  'GET /api/docs/LICENSE': [404, 404, 404, 404, 404, 404, 404],
  'GET /api/docs/docs/swagger-ui-init.js': [200, 200, 200, 200, 200, 200, 200],
  'GET /api/docs/index.html': [200, 200, 200, 200, 200, 200, 200],
  'GET /api/docs/swagger-ui-init.js': [200, 200, 200, 200, 200, 200, 200],
  // a wrong password for everyone
  'POST /api/v1/auth/login': [401, 401, 401, 401, 401, 401, 401],
  'GET /api/v1/auth/me': [401, 200, 200, 200, 200, 200, 200],
  // a wrong current password for everyone signed in
  'PUT /api/v1/auth/password': [401, 422, 422, 422, 422, 422, 422],
  'GET /api/v1/bookings': [401, 200, 200, 200, 200, 200, 200],
  'POST /api/v1/bookings': [201, 201, 201, 201, 201, 201, 201],
  'GET /api/v1/bookings/:id': [401, 404, 404, 404, 404, 404, 200],
  'POST /api/v1/bookings/:id/cancel': [401, 404, 404, 404, 404, 404, 200],
  // for the admin: too early to check in (409); complete and no-show likewise need other states
  'POST /api/v1/bookings/:id/check-in': [401, 404, 404, 404, 404, 404, 409],
  'POST /api/v1/bookings/:id/complete': [401, 404, 404, 404, 404, 404, 409],
  'POST /api/v1/bookings/:id/manage-link': [401, 404, 404, 404, 404, 404, 200],
  'POST /api/v1/bookings/:id/no-show': [401, 404, 404, 404, 404, 404, 409],
  'POST /api/v1/bookings/:id/reschedule': [401, 404, 404, 404, 404, 404, 200],
  'GET /api/v1/bookings/manage/:token': [200, 200, 200, 200, 200, 200, 200],
  'GET /api/v1/bookings/manage/:token/calendar.ics': [200, 200, 200, 200, 200, 200, 200],
  // the token is the capability: the first caller cancels, the rest find the booking cancelled
  'POST /api/v1/bookings/manage/:token/cancel': [200, 409, 409, 409, 409, 409, 409],
  'POST /api/v1/bookings/manage/:token/reschedule': [200, 200, 200, 200, 200, 200, 200],
  'POST /api/v1/bookings/staff': [401, 403, 403, 403, 403, 403, 201],
  'GET /api/v1/locations': [200, 200, 200, 200, 200, 200, 200],
  'POST /api/v1/locations': [401, 403, 403, 403, 403, 403, 201],
  'GET /api/v1/locations/:id': [200, 200, 200, 200, 200, 200, 200],
  'PATCH /api/v1/locations/:id': [401, 403, 403, 403, 403, 403, 200],
  // issue 18 item 9: deactivating answers 200 with the bookings it strands
  'DELETE /api/v1/locations/:id': [401, 403, 403, 403, 403, 403, 200],
  'GET /api/v1/locations/:id/agenda': [401, 404, 404, 404, 404, 404, 200],
  'GET /api/v1/locations/:id/closures': [200, 200, 200, 200, 200, 200, 200],
  'POST /api/v1/locations/:id/closures': [401, 403, 403, 403, 403, 403, 201],
  'GET /api/v1/locations/:id/closures/:cid': [200, 200, 200, 200, 200, 200, 200],
  'DELETE /api/v1/locations/:id/closures/:cid': [401, 403, 403, 403, 403, 403, 204],
  'GET /api/v1/locations/:id/exceptions': [200, 200, 200, 200, 200, 200, 200],
  'GET /api/v1/locations/:id/exceptions/:date': [200, 200, 200, 200, 200, 200, 200],
  'PUT /api/v1/locations/:id/exceptions/:date': [401, 403, 403, 403, 403, 403, 200],
  // issue 18 item 10: removing an exception answers 200 with the bookings it strands
  'DELETE /api/v1/locations/:id/exceptions/:date': [401, 403, 403, 403, 403, 403, 200],
  'GET /api/v1/locations/:id/opening-hours': [200, 200, 200, 200, 200, 200, 200],
  'GET /api/v1/locations/:id/rooms': [200, 200, 200, 200, 200, 200, 200],
  'POST /api/v1/locations/:id/rooms': [401, 403, 403, 403, 403, 403, 201],
  'GET /api/v1/locations/:id/rooms/:rid': [200, 200, 200, 200, 200, 200, 200],
  'DELETE /api/v1/locations/:id/rooms/:rid': [401, 403, 403, 403, 403, 403, 204],
  'GET /api/v1/locations/:id/weekly-hours': [200, 200, 200, 200, 200, 200, 200],
  'PUT /api/v1/locations/:id/weekly-hours': [401, 403, 403, 403, 403, 403, 200],
  'GET /api/v1/municipalities': [200, 200, 200, 200, 200, 200, 200],
  // Partner routes use partner Q's ids: the partner caller belongs to P, so Q is not its to see (404);
  // writes other roles may never make answer 403 first. Own-partner access: partners.e2e-spec.ts.
  'GET /api/v1/partners': [401, 200, 200, 200, 200, 200, 200],
  'POST /api/v1/partners': [401, 403, 403, 403, 403, 403, 201],
  'GET /api/v1/partners/:id': [401, 404, 404, 404, 404, 404, 200],
  'PATCH /api/v1/partners/:id': [401, 404, 403, 403, 403, 403, 200],
  'GET /api/v1/partners/:id/advisors': [401, 404, 404, 404, 404, 404, 200],
  'POST /api/v1/partners/:id/advisors': [401, 404, 403, 403, 403, 403, 201],
  'GET /api/v1/partners/:id/advisors/:tid': [401, 404, 404, 404, 404, 404, 200],
  'PATCH /api/v1/partners/:id/advisors/:tid': [401, 404, 403, 403, 403, 403, 200],
  'GET /api/v1/partners/:id/quota': [401, 404, 404, 404, 404, 404, 200],
  'PUT /api/v1/partners/:id/quota': [401, 403, 403, 403, 403, 403, 200],
  'DELETE /api/v1/partners/:id/quota': [401, 403, 403, 403, 403, 403, 204],
  // the partner's view of sessions in its claims: its own users (own-partner access: advisory-partner-view.e2e-spec.ts) and admins
  'GET /api/v1/partners/:id/bookings': [401, 404, 403, 403, 403, 403, 200],
  'GET /api/v1/slots': [200, 200, 200, 200, 200, 200, 200],
  'GET /api/v1/topics': [200, 200, 200, 200, 200, 200, 200],
  'POST /api/v1/topics': [401, 403, 403, 403, 403, 403, 201],
  'GET /api/v1/topics/:id': [200, 200, 200, 200, 200, 200, 200],
  'PATCH /api/v1/topics/:id': [401, 403, 403, 403, 403, 403, 200],
  'GET /api/v1/tutors': [401, 200, 200, 200, 200, 200, 200],
  'POST /api/v1/tutors': [401, 403, 403, 403, 403, 403, 201],
  // staff of a branch sharing the tutor see the tutor (and below, the absences and availability)
  'GET /api/v1/tutors/:id': [401, 404, 404, 404, 404, 200, 200],
  // staffShared edits the shared tutor (this body changes nothing); deactivating one is an admin's act
  // (issue 18 item 11: 403 for staff, tested in schedule-stranding.e2e-spec.ts)
  'PATCH /api/v1/tutors/:id': [401, 403, 403, 403, 404, 200, 200],
  'GET /api/v1/tutors/:id/absences': [401, 404, 404, 404, 404, 200, 200],
  // staffShared: an absence is the person's (API.md), so 201; the answer lists in full only S's bookings
  // and counts A's in otherBranches (issue 18 item 11)
  'POST /api/v1/tutors/:id/absences': [401, 403, 403, 403, 404, 201, 201],
  'GET /api/v1/tutors/:id/absences/:aid': [401, 404, 404, 404, 404, 200, 200],
  // the absence is the person's: staff of any of the tutor's branches remove it as they record it (issue 18
  // item 11); the admin then finds it gone
  'DELETE /api/v1/tutors/:id/absences/:aid': [401, 403, 403, 403, 404, 204, 404],
  'GET /api/v1/tutors/:id/availability': [401, 404, 404, 404, 404, 200, 200],
  'PUT /api/v1/tutors/:id/availability': [401, 403, 403, 403, 404, 403, 200],
  'GET /api/v1/users': [401, 200, 200, 200, 200, 200, 200],
  'POST /api/v1/users': [401, 403, 403, 403, 403, 403, 201],
  'GET /api/v1/users/:id': [401, 404, 404, 404, 404, 404, 200],
  'PATCH /api/v1/users/:id': [401, 404, 404, 404, 404, 404, 200],
  'GET /health/live': [200, 200, 200, 200, 200, 200, 200],
  'GET /health/ready': [200, 200, 200, 200, 200, 200, 200],
  'GET /problems': [200, 200, 200, 200, 200, 200, 200],
  'GET /problems/:code': [200, 200, 200, 200, 200, 200, 200],
};

/** Matti's bookings at A (a Monday and Thursday in January 2027), one per route that changes one. */
const ACTED_BOOKINGS: Record<string, string> = {
  'POST /api/v1/bookings/:id/check-in': '2027-01-11T11:00:00+02:00',
  'POST /api/v1/bookings/:id/complete': '2027-01-11T12:00:00+02:00',
  'POST /api/v1/bookings/:id/no-show': '2027-01-11T13:00:00+02:00',
  'POST /api/v1/bookings/:id/cancel': '2027-01-14T10:00:00+02:00',
  'POST /api/v1/bookings/:id/reschedule': '2027-01-14T11:00:00+02:00',
  'POST /api/v1/bookings/:id/manage-link': '2027-01-14T12:00:00+02:00',
  'POST /api/v1/bookings/manage/:token/cancel': '2027-01-14T13:00:00+02:00',
  'POST /api/v1/bookings/manage/:token/reschedule': '2027-01-18T10:00:00+02:00',
};

/** A free start for each caller's public booking. */
const PUBLIC_STARTS = ['10:00', '11:00', '12:00', '13:00'].map((h) => `2027-01-12T${h}:00+02:00`).concat(['10:00', '11:00', '12:00'].map((h) => `2027-01-13T${h}:00+02:00`));

describe('access matrix: every route × every caller', () => {
  let t: TestApp;
  let tokens: Record<Caller, Record<string, string>>;
  let routes: string[];
  let ids: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({ now: BOOKING_NOW });
    const A = await bookingWorld(t);
    const B = await bookingWorld(t);
    const S = await newLocation(t);
    await t.db.query(`INSERT INTO tutor_locations (tutor_id, location_id) VALUES ($1, $2)`, [A.matti.id, S.id]);
    const bertta = await newTutor(t, { locationIds: [B.location.id], rules: weekdayRules(B.location.id) });
    t.clock.set('2027-01-31T00:00:00Z');
    const users = {
      admin: await newUser(t),
      staffA: await newUser(t, { role: 'staff', locationIds: [A.location.id] }),
      staffOther: await newUser(t, { role: 'staff', locationIds: [B.location.id] }),
      staffShared: await newUser(t, { role: 'staff', locationIds: [S.id] }),
      tutor: await newUser(t, { role: 'tutor', tutorId: A.liisa.id }),
      otherTutor: await newUser(t, { role: 'tutor', tutorId: bertta.id }),
      partner: await newUser(t, { role: 'partner', partnerId: await ensurePartner(t, randomUUID(), 'Kumppani P') }),
    };
    t.clock.set(BOOKING_NOW);
    const book = async (start: string) =>
      (await t.http.post('/api/v1/bookings').send(bookingBody(A.location.id, start, { tutorId: A.matti.id })).expect(201)).body as { id: string; manageToken: string };
    const booking = await book('2027-01-11T10:00:00+02:00');
    // Each route that acts on a booking gets one of its own, so no cell sees another's change.
    const acted: Record<string, { id: string; manageToken: string }> = {};
    for (const [route, start] of Object.entries(ACTED_BOOKINGS)) acted[route] = await book(start);
    const admin = users.admin.auth;
    const closure = await t.http.post(`/api/v1/locations/${A.location.id}/closures`).set(admin).send({ start: '2027-02-01T10:00:00+02:00', end: '2027-02-01T12:00:00+02:00' }).expect(201);
    const room = await t.http.post(`/api/v1/locations/${A.location.id}/rooms`).set(admin).send({ name: 'Pajahuone', capacity: 6 }).expect(201);
    await t.http.put(`/api/v1/locations/${A.location.id}/exceptions/2027-01-15`).set(admin).send({ hours: [['10:00', '12:00']] }).expect(200);
    const absence = await t.http.post(`/api/v1/tutors/${A.matti.id}/absences`).set(admin).send({ start: '2027-03-01T00:00:00+02:00', end: '2027-03-02T00:00:00+02:00' }).expect(201);
    const topic = (await t.db.query(`SELECT id FROM topics ORDER BY sort_order LIMIT 1`))[0].id as string;
    // Partner Q, not the partner caller's P: its advisor and quota name the partner routes' ids.
    const partnerQ = await ensurePartner(t, randomUUID(), 'Kumppani Q');
    const advisorQ = await newTutor(t, { kind: 'advisor', partnerId: partnerQ });
    await t.db.query(`INSERT INTO partner_quotas (partner_id, hours_per_month) VALUES ($1, 20)`, [partnerQ]);
    ids = {
      ':id@users': users.staffA.id,
      ':id@locations': A.location.id,
      ':id@tutors': A.matti.id,
      ':id@topics': topic,
      ':id@partners': partnerQ,
      ':tid': advisorQ.id,
      ':id@bookings': booking.id,
      ':token': booking.manageToken,
      ':cid': closure.body.id,
      ':rid': room.body.id,
      ':date': '2027-01-15',
      ':aid': absence.body.id,
      ':code': 'slot-taken',
      '*': 'index.css',
    };
    // The resident pages name a branch by its id.
    for (const lang of ['fi', 'sv', 'en']) for (const page of ['library', 'times']) ids[`:id@GET /${lang}/${page}/:id`] = A.location.id;
    for (const [route, b] of Object.entries(acted)) {
      ids[`:id@${route}`] = b.id;
      ids[`:token@${route}`] = b.manageToken;
    }
    const auth = (u: TestUser) => u.auth;
    tokens = {
      anonymous: {},
      partner: auth(users.partner),
      otherTutor: auth(users.otherTutor),
      tutor: auth(users.tutor),
      staffOther: auth(users.staffOther),
      staffShared: auth(users.staffShared),
      admin: auth(users.admin),
    };
    routes = routeTable(t.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false }));
  });
  afterAll(() => t.close());

  /** Bodies that pass validation, so that what is checked is the access, not the input. */
  function bodyFor(method: string, path: string, caller: number): object | undefined {
    if (method === 'GET' || method === 'DELETE') return undefined;
    const valid: Record<string, object> = {
      'POST /api/v1/users': { email: `x-${randomUUID()}@example.fi`, password: 'long-enough-password', role: 'staff', locationIds: [ids[':id@locations']] },
      'PATCH /api/v1/users/:id': {},
      'POST /api/v1/auth/login': { email: 'nobody@example.fi', password: 'wrong-password' },
      'PUT /api/v1/auth/password': { current: 'wrong-password-x', new: 'another-long-password' },
      'POST /api/v1/locations': { name: { fi: `Uusi ${randomUUID()}` }, municipality: '286', address: { street: 'Katu 1', postalCode: '45100', city: 'Kouvola' } },
      'PATCH /api/v1/locations/:id': {},
      'PUT /api/v1/locations/:id/weekly-hours': { periods: [{ days: { '1': [['09:00', '19:00']], '2': [['09:00', '19:00']], '3': [['09:00', '19:00']], '4': [['09:00', '19:00']], '5': [['09:00', '19:00']] } }] },
      'PUT /api/v1/locations/:id/exceptions/:date': { hours: [['10:00', '12:00']] },
      'POST /api/v1/locations/:id/closures': { start: '2027-02-02T10:00:00+02:00', end: '2027-02-02T11:00:00+02:00' },
      'POST /api/v1/locations/:id/rooms': { name: `Huone ${randomUUID().slice(0, 8)}`, capacity: 4 },
      'POST /api/v1/topics': { slug: `aihe-${randomUUID().slice(0, 8)}`, name: { fi: 'Aihe', sv: 'Ämne', en: 'Topic' } },
      'PATCH /api/v1/topics/:id': {},
      'POST /api/v1/partners': { name: { fi: `Kumppani ${randomUUID().slice(0, 8)}` }, kind: 'association' },
      'POST /api/v1/partners/:id/advisors': { displayName: 'Neuvoja', languages: ['fi'] },
      'PUT /api/v1/partners/:id/quota': { hoursPerMonth: 10 },
      'POST /api/v1/tutors': { displayName: 'Uusi', kind: 'volunteer', locationIds: [ids[':id@locations']], topics: ['email'], languages: ['fi'] },
      'PATCH /api/v1/tutors/:id': {},
      'PUT /api/v1/tutors/:id/availability': { rules: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startTime: '10:00', endTime: '14:00', sessionMinutes: 45, bufferMinutes: 15, validFrom: '2026-12-01' })) },
      'POST /api/v1/tutors/:id/absences': { start: '2027-04-01T00:00:00+03:00', end: '2027-04-02T00:00:00+03:00' },
      'POST /api/v1/bookings': bookingBody(ids[':id@locations'], PUBLIC_STARTS[caller]),
      'POST /api/v1/bookings/staff': { ...bookingBody(ids[':id@locations'], '2027-01-15T10:00:00+02:00'), consent: undefined, channel: 'phone' },
      'POST /api/v1/bookings/manage/:token/cancel': {},
      'POST /api/v1/bookings/manage/:token/reschedule': { start: '2027-01-19T11:00:00+02:00' },
      'POST /api/v1/bookings/:id/complete': { outcome: { topics: ['email'] } },
      'POST /api/v1/bookings/:id/cancel': { reason: 'Testi' },
      'POST /api/v1/bookings/:id/reschedule': { start: '2027-01-19T10:00:00+02:00' },
    };
    return valid[`${method} ${path}`] ?? {};
  }

  function concrete(route: string): string {
    const path = route.split(' ')[1];
    const resource = path.split('/').filter((s) => s && !s.startsWith(':'))[2] ?? '';
    const url = path.replace(/:[a-z]+|\*/gi, (param) => ids[`${param}@${route}`] ?? ids[`${param}@${resource}`] ?? ids[param] ?? randomUUID());
    return /\/availability$/.test(path) ? `${url}?locationId=${ids[':id@locations']}` : url;
  }

  it('has an entry for every route, and each caller gets what the entry says', async () => {
    const actual: Record<string, number[]> = {};
    // Writes that end things (deactivate, cancel, delete) come last, so the other cells see the resources whole.
    const ordered = [...routes].sort((a, b) => weight(a) - weight(b));
    for (const route of ordered) {
      const [method, path] = route.split(' ');
      actual[route] = [];
      for (const [i, caller] of CALLERS.entries()) {
        const body = bodyFor(method, path, i);
        let req = t.http[method.toLowerCase() as 'get'](concrete(route)).set(tokens[caller]);
        if (body) req = req.send(body);
        const res = await req;
        actual[route].push(res.status);
      }
    }
    if (process.env.TUKIAIKA_ACCESS_MATRIX_PRINT) {
      console.log(Object.entries(actual).map(([r, s]) => `  '${r}': [${s.join(', ')}],`).join('\n'));
    }
    const missing = routes.filter((r) => !(r in EXPECTED));
    expect(missing).toEqual([]);
    const stale = Object.keys(EXPECTED).filter((r) => !routes.includes(r));
    expect(stale).toEqual([]);
    const wrong = Object.entries(actual)
      .flatMap(([route, statuses]) => statuses.map((status, i) => ({ route, caller: CALLERS[i], status, expected: EXPECTED[route]?.[i] })))
      .filter((c) => c.status !== c.expected);
    expect(wrong).toEqual([]);
  }, 120_000);
});

function weight(route: string): number {
  if (route === 'DELETE /api/v1/locations/:id') return 3;
  if (/^DELETE |\/(cancel|no-show|complete|check-in|reschedule|manage-link)$/.test(route)) return 2;
  if (/^(PUT|PATCH) /.test(route) || route === 'PUT /api/v1/auth/password') return 1;
  return 0;
}

/**
 * `METHOD /path` for every route Fastify's router holds (HEAD aside: Fastify adds one per GET),
 * read from its printRoutes tree, where each line adds a segment to its parent's path.
 */
function routeTable(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+) \(([^)]+)\)/.exec(line);
    if (!match) continue;
    const level = match[1].length / 4;
    stack.length = level;
    const path = (stack[level - 1] ?? '') + match[2];
    stack[level] = path;
    for (const method of match[3].split(', ')) if (method !== 'HEAD') out.push(`${method} ${path.replace(/\/\//g, '/')}`);
  }
  return [...new Set(out)].sort();
}
