import { LocationsService } from '../../src/modules/locations/locations.service';
import { newLocation, newUser, TestLocation, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const UNKNOWN = '7a1f0d4e-2b1c-4c3d-8e9f-0a1b2c3d4e5f';

/** Winter: every day; summer (from 2027-06-01): weekdays with a lunch break, Saturday short. */
const WEEKLY = {
  periods: [
    {
      validFrom: '2026-08-15',
      validUntil: '2027-05-31',
      days: {
        '1': [['10:00', '19:00']],
        '2': [['10:00', '19:00']],
        '3': [['10:00', '19:00']],
        '4': [['10:00', '19:00']],
        '5': [['10:00', '17:00']],
        '6': [['10:00', '15:00']],
        '7': [['12:00', '16:00']],
      },
    },
    {
      validFrom: '2027-06-01',
      validUntil: '2027-08-15',
      days: {
        '1': [['10:00', '12:00'], ['13:00', '18:00']],
        '2': [['10:00', '12:00'], ['13:00', '18:00']],
        '3': [['10:00', '12:00'], ['13:00', '18:00']],
        '4': [['10:00', '12:00'], ['13:00', '18:00']],
        '5': [['10:00', '15:00']],
        '6': [['10:00', '14:00']],
      },
    },
  ],
};

type Day = { date: string; hours: [string, string][]; holiday?: { fi: string; sv: string; en: string }; closedReason?: { fi: string; sv: string; en: string }; exception?: unknown };

describe('opening hours', () => {
  let t: TestApp;
  let admin: TestUser;
  let loc: TestLocation;
  let days: Map<string, Day>;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-12-01T08:00:00Z' });
    admin = await newUser(t);
    loc = await newLocation(t);
    await t.http.put(`/api/v1/locations/${loc.id}/weekly-hours`).set(admin.auth).send(WEEKLY).expect(200);
    await t.http
      .put(`/api/v1/locations/${loc.id}/exceptions/2026-12-24`)
      .set(admin.auth)
      .send({ hours: [['09:00', '12:00']], reason: { fi: 'Jouluaattona auki aamupäivän', sv: 'Öppet på förmiddagen på julafton', en: 'Open on Christmas Eve morning' } })
      .expect(200);
    await t.http.put(`/api/v1/locations/${loc.id}/exceptions/2027-01-07`).set(admin.auth).send({ hours: [], reason: 'Inventaario' }).expect(200);
    // Across midnight: from Tuesday 17:00 to Wednesday 12:00.
    await t.http
      .post(`/api/v1/locations/${loc.id}/closures`)
      .set(admin.auth)
      .send({ start: '2027-01-12T17:00:00+02:00', end: '2027-01-13T12:00:00+02:00', reason: 'Sähkötyöt' })
      .expect(201);
    // A whole day.
    await t.http.post(`/api/v1/locations/${loc.id}/closures`).set(admin.auth).send({ start: '2027-01-20T00:00:00+02:00', end: '2027-01-21T00:00:00+02:00' }).expect(201);
    const res = await t.http.get(`/api/v1/locations/${loc.id}/opening-hours`).query({ from: '2026-12-01', to: '2027-06-30' }).expect(200);
    days = new Map(res.body.items.map((d: Day) => [d.date, d]));
  });
  afterAll(() => t.close());

  it('answers one item per local date, to inclusive', () => {
    expect(days.size).toBe(212);
    expect([...days.keys()][0]).toBe('2026-12-01');
    expect([...days.keys()].at(-1)).toBe('2027-06-30');
  });

  it('closes on the real Finnish holidays of 2026–2027, naming them in fi/sv/en', () => {
    const expected: [string, string, string, string][] = [
      ['2026-12-06', 'Itsenäisyyspäivä', 'Självständighetsdagen', 'Independence Day'],
      ['2026-12-25', 'Joulupäivä', 'Juldagen', 'Christmas Day'],
      ['2026-12-26', 'Tapaninpäivä', 'Annandag jul', 'Boxing Day'],
      ['2026-12-31', 'Uudenvuodenaatto', 'Nyårsafton', "New Year's Eve"],
      ['2027-01-01', 'Uudenvuodenpäivä', 'Nyårsdagen', "New Year's Day"],
      ['2027-01-06', 'Loppiainen', 'Trettondedag jul', 'Epiphany'],
      ['2027-03-26', 'Pitkäperjantai', 'Långfredagen', 'Good Friday'],
      ['2027-03-28', 'Pääsiäispäivä', 'Påskdagen', 'Easter Sunday'],
      ['2027-03-29', 'Toinen pääsiäispäivä', 'Annandag påsk', 'Easter Monday'],
      ['2027-05-01', 'Vappu', 'Första maj', 'Labour Day'],
      ['2027-05-06', 'Helatorstai', 'Kristi himmelsfärdsdag', 'Ascension Day'],
      ['2027-05-16', 'Helluntaipäivä', 'Pingstdagen', 'Pentecost'],
      ['2027-06-25', 'Juhannusaatto', 'Midsommarafton', 'Midsummer Eve'],
      ['2027-06-26', 'Juhannuspäivä', 'Midsommardagen', 'Midsummer Day'],
    ];
    for (const [date, fi, sv, en] of expected) {
      const day = days.get(date)!;
      expect({ date, hours: day.hours, holiday: day.holiday }).toEqual({ date, hours: [], holiday: { fi, sv, en } });
      expect(day.closedReason).toEqual({ fi, sv, en });
    }
    // Every holiday in the range is one of those (or Christmas Eve, opened below).
    const holidays = [...days.values()].filter((d) => d.holiday).map((d) => d.date);
    expect(holidays.sort()).toEqual([...expected.map((e) => e[0]), '2026-12-24'].sort());
  });

  it('keeps ordinary days open around the holidays', () => {
    expect(days.get('2026-12-05')!.hours).toEqual([['10:00', '15:00']]); // Saturday
    expect(days.get('2026-12-07')!.hours).toEqual([['10:00', '19:00']]); // Monday
    expect(days.get('2026-12-07')!.holiday).toBeUndefined();
    expect(days.get('2027-03-27')!.hours).toEqual([['10:00', '15:00']]); // Easter Saturday is no holiday
    expect(days.get('2027-05-09')!.hours).toEqual([['12:00', '16:00']]); // Mother's Day is an observance only
  });

  it('opens Christmas Eve with an exception, keeping the holiday name', () => {
    expect(days.get('2026-12-24')).toEqual({
      date: '2026-12-24',
      hours: [['09:00', '12:00']],
      holiday: { fi: 'Jouluaatto', sv: 'Julafton', en: 'Christmas Eve' },
      exception: { reason: { fi: 'Jouluaattona auki aamupäivän', sv: 'Öppet på förmiddagen på julafton', en: 'Open on Christmas Eve morning' } },
    });
  });

  it('closes a normal day by exception with its reason', () => {
    expect(days.get('2027-01-07')).toMatchObject({ hours: [], closedReason: { fi: 'Inventaario', sv: 'Inventaario', en: 'Inventaario' } });
  });

  it('subtracts a closure across midnight from both days, and names a whole-day closure', () => {
    expect(days.get('2027-01-12')!.hours).toEqual([['10:00', '17:00']]);
    expect(days.get('2027-01-13')!.hours).toEqual([['12:00', '19:00']]);
    expect(days.get('2027-01-13')!.closedReason).toBeUndefined();
    expect(days.get('2027-01-20')).toMatchObject({ hours: [], closedReason: { fi: 'Tilapäisesti suljettu', sv: 'Tillfälligt stängt', en: 'Temporarily closed' } });
  });

  it('switches to summer hours on 2027-06-01', () => {
    expect(days.get('2027-05-31')!.hours).toEqual([['10:00', '19:00']]);
    expect(days.get('2027-06-01')!.hours).toEqual([
      ['10:00', '12:00'],
      ['13:00', '18:00'],
    ]);
    expect(days.get('2027-06-06')).toMatchObject({ hours: [], closedReason: { fi: 'Suljettu', sv: 'Stängt', en: 'Closed' } }); // summer Sunday
  });

  it('defaults to 14 days from today in the location zone (injected clock)', async () => {
    const res = await t.http.get(`/api/v1/locations/${loc.id}/opening-hours`).expect(200);
    expect(res.body.items.map((d: Day) => d.date)).toEqual([
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
      '2026-12-07',
      '2026-12-08',
      '2026-12-09',
      '2026-12-10',
      '2026-12-11',
      '2026-12-12',
      '2026-12-13',
      '2026-12-14',
    ]);
    // 22:30 UTC on New Year's Eve is already New Year's Day in Helsinki.
    t.clock.set('2026-12-31T22:30:00Z');
    try {
      const later = await t.http.get(`/api/v1/locations/${loc.id}/opening-hours`).query({ to: '2027-01-02' }).expect(200);
      expect(later.body.items.map((d: Day) => d.date)).toEqual(['2027-01-01', '2027-01-02']);
    } finally {
      t.clock.set('2026-12-01T08:00:00Z');
    }
  });

  it('422 for bad dates and a reversed range; 422 range-too-long over 366 days; 366 is fine', async () => {
    for (const query of [{ from: '2026-02-30' }, { from: '2026-12-01', to: '2026-12-32' }, { from: '2026-12-01T00:00:00Z' }]) {
      const res = await t.http.get(`/api/v1/locations/${loc.id}/opening-hours`).query(query);
      expect(res.status).toBe(422);
      expect(res.body.type).toBe('/problems/validation-failed');
    }
    const reversed = await t.http.get(`/api/v1/locations/${loc.id}/opening-hours`).query({ from: '2026-12-10', to: '2026-12-09' });
    expect(reversed.status).toBe(422);
    expect(reversed.body.errors.map((e: { field: string }) => e.field)).toEqual(['to']);
    const tooLong = await t.http.get(`/api/v1/locations/${loc.id}/opening-hours`).query({ from: '2026-12-01', to: '2027-12-02' });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.type).toBe('/problems/range-too-long');
    const longest = await t.http.get(`/api/v1/locations/${loc.id}/opening-hours`).query({ from: '2026-12-01', to: '2027-12-01' }).expect(200);
    expect(longest.body.items).toHaveLength(366);
  });

  it('404 for an unknown location; an inactive one is closed every day', async () => {
    expect((await t.http.get(`/api/v1/locations/${UNKNOWN}/opening-hours`)).status).toBe(404);
    const closed = await newLocation(t, { active: false, weeklyHours: [{ days: { 1: [['10:00', '19:00']] } }] });
    const res = await t.http.get(`/api/v1/locations/${closed.id}/opening-hours`).query({ from: '2026-12-07', to: '2026-12-07' }).expect(200);
    expect(res.body.items).toEqual([
      { date: '2026-12-07', hours: [], closedReason: { fi: 'Toimipiste ei ole käytössä', sv: 'Verksamhetsstället är inte i bruk', en: 'This branch is not in use' } },
    ]);
  });

  it('withOpeningHours: the location and the same days as the API, whether or not its range lies in the span read for every zone', async () => {
    const service = t.app.get(LocationsService);
    const week = await service.withOpeningHours(loc.id, () => ({ from: '2027-01-11', to: '2027-01-17' }));
    expect(week.location).toEqual(await service.get(loc.id));
    expect(week.items).toEqual(['2027-01-11', '2027-01-12', '2027-01-13', '2027-01-14', '2027-01-15', '2027-01-16', '2027-01-17'].map((d) => days.get(d)));
    // Only the location's own zone picks these dates: they are read again for it.
    const own = await service.withOpeningHours(loc.id, (zone) => (zone === loc.timezone ? { from: '2026-12-24', to: '2026-12-26' } : { from: '2027-06-01', to: '2027-06-01' }));
    expect(own.items).toEqual([days.get('2026-12-24'), days.get('2026-12-25'), days.get('2026-12-26')]);
    await expect(service.withOpeningHours(UNKNOWN, () => ({ from: '2027-01-11', to: '2027-01-17' }))).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('LocationsService.openIntervals (for the slot search)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: '2027-03-01T08:00:00Z' });
  });
  afterAll(() => t.close());

  it('gives open instants of many locations in a few queries, with DST and holidays applied', async () => {
    const allWeek = { 1: [['10:00', '18:00']], 2: [['10:00', '18:00']], 3: [['10:00', '18:00']], 4: [['10:00', '18:00']], 5: [['10:00', '18:00']], 6: [['10:00', '14:00']], 7: [['10:00', '14:00']] } as Record<number, [string, string][]>;
    const a = await newLocation(t, { weeklyHours: [{ days: allWeek }] });
    const b = await newLocation(t, { weeklyHours: [{ days: { 1: [['09:00', '12:00']] } }] });
    const inactive = await newLocation(t, { active: false, weeklyHours: [{ days: allWeek }] });
    await t.db.query(`INSERT INTO location_closures (location_id, during) VALUES ($1, tstzrange('2027-03-24T12:00:00+02:00', '2027-03-24T20:00:00+02:00'))`, [a.id]);

    const service = t.app.get(LocationsService);
    // Every statement goes through DataSource.query (EntityManager.query delegates to it).
    const dbQuery = jest.spyOn(t.db, 'query');
    const map = await service.openIntervals([a.id, b.id, inactive.id, UNKNOWN], new Date('2027-03-24T00:00:00+02:00'), new Date('2027-03-31T00:00:00+03:00'));
    const queries = dbQuery.mock.calls.length;
    dbQuery.mockRestore();
    expect(queries).toBe(4); // the locations, then periods, exceptions and closures of all of them

    const iso = (list: { start: Date; end: Date }[] | undefined) => (list ?? []).map((i) => [i.start.toISOString(), i.end.toISOString()]);
    expect(iso(map.get(a.id))).toEqual([
      ['2027-03-24T08:00:00.000Z', '2027-03-24T10:00:00.000Z'], // Wednesday, closed from 12:00 local
      ['2027-03-25T08:00:00.000Z', '2027-03-25T16:00:00.000Z'], // Thursday
      // 26th Good Friday: closed
      ['2027-03-27T08:00:00.000Z', '2027-03-27T12:00:00.000Z'], // Saturday, still +02:00
      // 28th Easter Sunday (and the DST change), 29th Easter Monday: closed
      ['2027-03-30T07:00:00.000Z', '2027-03-30T15:00:00.000Z'], // Tuesday, +03:00
    ]);
    expect(iso(map.get(b.id))).toEqual([]); // Monday 29th is Easter Monday
    expect(map.get(inactive.id)).toEqual([]);
    expect(map.get(UNKNOWN)).toEqual([]);
  });

  it('clips to the window and costs no more queries for more days or locations', async () => {
    const locs = await Promise.all([0, 1, 2, 3, 4].map(() => newLocation(t, { weeklyHours: [{ days: { 2: [['10:00', '18:00']] } }] })));
    const service = t.app.get(LocationsService);
    const one = await service.openIntervals([locs[0].id], new Date('2027-03-02T12:00:00+02:00'), new Date('2027-03-02T13:30:00+02:00'));
    expect(one.get(locs[0].id)!.map((i) => [i.start.toISOString(), i.end.toISOString()])).toEqual([['2027-03-02T10:00:00.000Z', '2027-03-02T11:30:00.000Z']]);

    // Every statement goes through DataSource.query (EntityManager.query delegates to it).
    const dbQuery = jest.spyOn(t.db, 'query');
    const many = await service.openIntervals(
      locs.map((l) => l.id),
      new Date('2027-03-01T00:00:00+02:00'),
      new Date('2027-05-01T00:00:00+03:00'),
    );
    const queries = dbQuery.mock.calls.length;
    dbQuery.mockRestore();
    expect(queries).toBe(4); // the locations, then periods, exceptions and closures of all of them
    for (const l of locs) expect(many.get(l.id)).toHaveLength(9); // the Tuesdays of March and April 2027
  });
});
