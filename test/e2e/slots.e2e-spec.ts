import { newLocation, newTutor } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const WEEKDAYS: Record<number, [string, string][]> = { 1: [['10:00', '19:00']], 2: [['10:00', '19:00']], 3: [['10:00', '19:00']], 4: [['10:00', '19:00']], 5: [['10:00', '16:00']], 6: [['10:00', '15:00']], 7: [['10:00', '15:00']] };
const everyDay = (locationId: string, startTime = '10:00', endTime = '12:00', sessionMinutes = 45, bufferMinutes = 15) =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ locationId, weekday, startTime, endTime, sessionMinutes, bufferMinutes }));

interface SlotItem {
  start: string;
  end: string;
  locationId: string;
  tutorId: string;
  tutorDisplayName: string;
  topics: string[];
  languages: string[];
  kind: string;
}

describe('GET /slots', () => {
  let t: TestApp;
  let kouvola: { id: string };
  let kotka: { id: string };
  let matti: { id: string };
  let aino: { id: string };
  let sven: { id: string };

  beforeAll(async () => {
    // Tuesday 2026-12-01 08:00 Helsinki = 06:00Z; minimum notice 120 min
    t = await startTestApp({ now: '2026-12-01T06:00:00Z' });
    kouvola = await newLocation(t, { municipality: '286', weeklyHours: [{ days: WEEKDAYS }] });
    kotka = await newLocation(t, { municipality: '285', weeklyHours: [{ days: WEEKDAYS }] });
    matti = await newTutor(t, { displayName: 'Matti V.', locationIds: [kouvola.id], topics: ['smartphone-tablet', 'online-banking'], languages: ['fi', 'sv'], rules: everyDay(kouvola.id) });
    aino = await newTutor(t, { displayName: 'Aino K.', locationIds: [kouvola.id], topics: ['email'], languages: ['fi'], rules: everyDay(kouvola.id, '10:00', '12:00', 60, 0) });
    sven = await newTutor(t, { displayName: 'Sven L.', locationIds: [kotka.id], topics: ['online-banking'], languages: ['sv', 'en'], rules: everyDay(kotka.id, '13:00', '15:00') });
  });
  afterAll(() => t.close());

  const get = (query: Record<string, string | number>) => t.http.get('/api/v1/slots').query(query);

  it('lists the free slots of one branch on one day, on the grid, with tutor details', async () => {
    const res = await get({ locationId: kouvola.id, from: '2026-12-02', to: '2026-12-02' }).expect(200);
    const items: SlotItem[] = res.body.items;
    expect(items.map((s) => [s.start, s.tutorDisplayName])).toEqual([
      ['2026-12-02T10:00:00+02:00', expect.any(String)],
      ['2026-12-02T10:00:00+02:00', expect.any(String)],
      ['2026-12-02T11:00:00+02:00', expect.any(String)],
      ['2026-12-02T11:00:00+02:00', expect.any(String)],
    ]);
    const mattis = items.filter((s) => s.tutorId === matti.id);
    expect(mattis[0]).toEqual({
      start: '2026-12-02T10:00:00+02:00', end: '2026-12-02T10:45:00+02:00', locationId: kouvola.id, tutorId: matti.id, tutorDisplayName: 'Matti V.',
      topics: ['smartphone-tablet', 'online-banking'], languages: ['fi', 'sv'], kind: 'tutoring', partnerId: null, claimId: null, roomId: null,
    });
    expect(items.filter((s) => s.tutorId === aino.id).map((s) => s.end)).toEqual(['2026-12-02T11:00:00+02:00', '2026-12-02T12:00:00+02:00']);
    expect(res.body.nextCursor).toBeNull();
  });

  it('orders by start, then location, then tutor', async () => {
    const res = await get({ from: '2026-12-02', to: '2026-12-03' }).expect(200);
    const keys = res.body.items.map((s: SlotItem) => [Date.parse(s.start), s.locationId, s.tutorId]);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
    expect(keys).toEqual(sorted);
    expect(new Set(res.body.items.map((s: SlotItem) => s.locationId))).toEqual(new Set([kouvola.id, kotka.id]));
  });

  it('filters by municipality, topic and language, combinably', async () => {
    const range = { from: '2026-12-02', to: '2026-12-02' };
    const kotkaOnly = (await get({ ...range, municipality: '285' }).expect(200)).body.items as SlotItem[];
    expect(new Set(kotkaOnly.map((s) => s.tutorId))).toEqual(new Set([sven.id]));
    const banking = (await get({ ...range, topic: 'online-banking' }).expect(200)).body.items as SlotItem[];
    expect(new Set(banking.map((s) => s.tutorId))).toEqual(new Set([matti.id, sven.id]));
    const bankingInSwedishInKouvola = (await get({ ...range, topic: 'online-banking', language: 'sv', municipality: '286' }).expect(200)).body.items as SlotItem[];
    expect(new Set(bankingInSwedishInKouvola.map((s) => s.tutorId))).toEqual(new Set([matti.id]));
    const english = (await get({ ...range, language: 'en', locationId: kouvola.id }).expect(200)).body.items;
    expect(english).toEqual([]);
    expect((await get({ ...range, kind: 'advisory' }).expect(200)).body.items).toEqual([]);
  });

  it('pages with limit and cursor without gaps or repeats', async () => {
    const all = (await get({ from: '2026-12-02', to: '2026-12-08', limit: 500 }).expect(200)).body.items as SlotItem[];
    expect(all.length).toBeGreaterThan(20);
    const paged: SlotItem[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: SlotItem[]; nextCursor: string | null } } = await get({ from: '2026-12-02', to: '2026-12-08', limit: 7, ...(cursor ? { cursor } : {}) }).expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(7);
      paged.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
  });

  it('respects minimum notice and the default range from now', async () => {
    // now 08:00 local, notice 120 min: today's 10:00 slots are exactly at the limit and free
    const res = await get({ locationId: kouvola.id, limit: 3 }).expect(200);
    expect(res.body.items[0].start).toBe('2026-12-01T10:00:00+02:00');
    t.clock.set('2026-12-01T08:01:00Z'); // 10:01 local: 10:00 and 11:00 are too soon (notice until 12:01)
    try {
      const later = await get({ locationId: kouvola.id, limit: 1 }).expect(200);
      expect(later.body.items[0].start).toBe('2026-12-02T10:00:00+02:00');
    } finally {
      t.clock.set('2026-12-01T06:00:00Z');
    }
  });

  it('leaves out booked, absent and closed times, and holidays', async () => {
    const day = { locationId: kouvola.id, from: '2026-12-03', to: '2026-12-03' };
    const before = (await get(day).expect(200)).body.items as SlotItem[];
    expect(before.filter((s) => s.tutorId === matti.id)).toHaveLength(2);
    const [{ id: topicId }] = await t.db.query(`SELECT id FROM topics WHERE slug = 'smartphone-tablet'`);
    await t.db.query(
      `INSERT INTO bookings (reference, location_id, tutor_id, topic_id, language, during, resident_name, resident_phone)
       VALUES ('AAA-BBB', $1, $2, $3, 'fi', tstzrange('2026-12-03T10:00:00+02:00', '2026-12-03T10:45:00+02:00'), 'Aino V', '+358401234567')`,
      [kouvola.id, matti.id, topicId],
    );
    await t.db.query(`INSERT INTO tutor_absences (tutor_id, starts_at, ends_at) VALUES ($1, '2026-12-03T10:30:00+02:00', '2026-12-03T11:30:00+02:00')`, [aino.id]);
    const after = (await get(day).expect(200)).body.items as SlotItem[];
    expect(after.filter((s) => s.tutorId === matti.id).map((s) => s.start)).toEqual(['2026-12-03T11:00:00+02:00']);
    expect(after.filter((s) => s.tutorId === aino.id)).toEqual([]);
    // Independence Day (Sunday 2026-12-06) is a public holiday: closed
    const holiday = (await get({ locationId: kouvola.id, from: '2026-12-06', to: '2026-12-06' }).expect(200)).body.items;
    expect(holiday).toEqual([]);
    const sunday = (await get({ locationId: kouvola.id, from: '2026-12-13', to: '2026-12-13' }).expect(200)).body.items;
    expect(sunday.length).toBeGreaterThan(0);
  });

  it('refuses bad input with 422 naming the field', async () => {
    const cases: [Record<string, string | number>, string][] = [
      [{ from: '2026-12-01T10:00:00' }, 'from'],
      [{ from: '2026-13-01' }, 'from'],
      [{ to: 'next week' }, 'to'],
      [{ locationId: 'not-a-uuid' }, 'locationId'],
      [{ locationId: '8d1c7a2e-1111-4222-8333-444455556666' }, 'locationId'],
      [{ municipality: '999' }, 'municipality'],
      [{ municipality: 'Kouvola' }, 'municipality'],
      [{ topic: 'knitting' }, 'topic'],
      [{ language: 'xx' }, 'language'],
      [{ kind: 'party' }, 'kind'],
      [{ limit: 0 }, 'limit'],
      [{ limit: 501 }, 'limit'],
      [{ cursor: 'bm9wZQ' }, 'cursor'],
    ];
    for (const [query, field] of cases) {
      const res = await get(query);
      expect([query, res.status]).toEqual([query, 422]);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const long = await get({ from: '2026-12-01', to: '2027-02-01' });
    expect(long.status).toBe(422);
    expect(long.body.type).toBe('/problems/range-too-long');
    await get({ from: '2026-12-01', to: '2027-01-31', locationId: kouvola.id }).expect(200);
  });
});

describe('GET /slots across daylight-saving changes', () => {
  let t: TestApp;
  let branch: { id: string };

  beforeAll(async () => {
    t = await startTestApp({ now: '2027-03-20T08:00:00Z' });
    branch = await newLocation(t, { weeklyHours: [{ days: { 7: [['09:00', '18:00']] } }] });
    await newTutor(t, { locationIds: [branch.id], rules: [{ locationId: branch.id, weekday: 7, startTime: '10:00', endTime: '11:00', sessionMinutes: 45, bufferMinutes: 15 }] });
    // Easter Sunday 2027-03-28 is a holiday: open it with an exception
    await t.db.query(`INSERT INTO location_exceptions (location_id, date, hours) VALUES ($1, '2027-03-28', '[["09:00","18:00"]]')`, [branch.id]);
  });
  afterAll(() => t.close());

  it('gives +03:00 after the spring change and +02:00 after the autumn one, for the same 10:00 rule', async () => {
    const spring = await t.http.get('/api/v1/slots').query({ locationId: branch.id, from: '2027-03-28', to: '2027-03-28' }).expect(200);
    expect(spring.body.items.map((s: SlotItem) => [s.start, s.end])).toEqual([['2027-03-28T10:00:00+03:00', '2027-03-28T10:45:00+03:00']]);
    expect(new Date(spring.body.items[0].start).toISOString()).toBe('2027-03-28T07:00:00.000Z');
    t.clock.set('2027-10-25T08:00:00Z');
    const autumn = await t.http.get('/api/v1/slots').query({ locationId: branch.id, from: '2027-10-31', to: '2027-10-31' }).expect(200);
    expect(autumn.body.items.map((s: SlotItem) => s.start)).toEqual(['2027-10-31T10:00:00+02:00']);
    expect(new Date(autumn.body.items[0].start).toISOString()).toBe('2027-10-31T08:00:00.000Z');
  });

  it('keeps Easter Sunday closed without the exception', async () => {
    t.clock.set('2027-03-20T08:00:00Z');
    await t.db.query(`DELETE FROM location_exceptions WHERE location_id = $1`, [branch.id]);
    const res = await t.http.get('/api/v1/slots').query({ locationId: branch.id, from: '2027-03-28', to: '2027-03-28' }).expect(200);
    expect(res.body.items).toEqual([]);
  });
});
