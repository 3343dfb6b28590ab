import { TutorsService } from '../../src/modules/tutors/tutors.service';
import { newLocation, newTopic, newTutor, TestLocation } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/** The set-based loader the slot search uses (TutorsService.loadForSearch), against PostgreSQL. */
describe('tutors: loading for the slot search', () => {
  let t: TestApp;
  let tutors: TutorsService;
  let K1: TestLocation;
  let K2: TestLocation;
  let closed: TestLocation;
  let H1: TestLocation;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp();
    tutors = t.app.get(TutorsService);
    K1 = await newLocation(t, { municipality: '286' });
    K2 = await newLocation(t, { municipality: '286' });
    closed = await newLocation(t, { municipality: '286', active: false });
    H1 = await newLocation(t, { municipality: '091' });
    const retired = await newTopic(t, { active: false });
    ids.banker = (
      await newTutor(t, {
        displayName: 'Pankki-Pirkko',
        locationIds: [K1.id],
        topics: ['online-banking', 'email', retired.slug],
        languages: ['fi', 'sv'],
        rules: [
          { locationId: K1.id, weekday: 2, startTime: '10:00', endTime: '14:00', sessionMinutes: 45, bufferMinutes: 15, validFrom: '2026-12-01' },
          { locationId: K1.id, weekday: 4, startTime: '16:00', endTime: '24:00', sessionMinutes: 30, bufferMinutes: 0, validFrom: '2026-01-01', validUntil: '2026-06-30' },
        ],
      })
    ).id;
    ids.traveller = (
      await newTutor(t, {
        displayName: 'Reissu-Risto',
        locationIds: [K2.id, H1.id],
        topics: ['video-calls'],
        languages: ['en', 'fi'],
        rules: [
          { locationId: K2.id, weekday: 1, startTime: '09:00', endTime: '12:00' },
          { locationId: H1.id, weekday: 3, startTime: '09:00', endTime: '12:00' },
        ],
      })
    ).id;
    ids.inactive = (await newTutor(t, { locationIds: [K1.id], topics: ['email'], active: false })).id;
    ids.atClosed = (await newTutor(t, { locationIds: [closed.id], topics: ['email'] })).id;
    ids.helsinki = (await newTutor(t, { locationIds: [H1.id], topics: ['email'], languages: ['sv'] })).id;
    ids.advisor = (await newTutor(t, { kind: 'advisor', locationIds: [K2.id], topics: ['kela'] })).id;
  });
  afterAll(() => t.close());

  const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

  it('finds active tutors at active branches of a municipality, with only that municipality’s branches', async () => {
    const found = await tutors.loadForSearch({ municipality: '286' });
    expect(idsOf(found)).toEqual([ids.banker, ids.traveller, ids.advisor].sort());
    const traveller = found.find((x) => x.id === ids.traveller);
    expect(traveller?.locations.map((l) => l.locationId)).toEqual([K2.id]);
    expect(traveller?.locations[0].rules).toEqual([
      { tutorId: ids.traveller, weekday: 1, startTime: '09:00', endTime: '12:00', sessionMinutes: 45, bufferMinutes: 15, validFrom: '2026-01-01', validUntil: null },
    ]);
  });

  it('returns each tutor with active topics, languages and rules per branch, in the engine’s shape', async () => {
    const [banker] = await tutors.loadForSearch({ locationIds: [K1.id], topic: 'online-banking' });
    expect(banker).toEqual({
      id: ids.banker,
      displayName: 'Pankki-Pirkko',
      kind: 'volunteer',
      partnerId: null,
      topics: ['email', 'online-banking'],
      languages: ['fi', 'sv'],
      locations: [
        {
          locationId: K1.id,
          rules: [
            { tutorId: ids.banker, weekday: 2, startTime: '10:00', endTime: '14:00', sessionMinutes: 45, bufferMinutes: 15, validFrom: '2026-12-01', validUntil: null },
            { tutorId: ids.banker, weekday: 4, startTime: '16:00', endTime: '24:00', sessionMinutes: 30, bufferMinutes: 0, validFrom: '2026-01-01', validUntil: '2026-06-30' },
          ],
        },
      ],
    });
  });

  it('filters by topic, language, branch, kind and validity dates', async () => {
    expect(idsOf(await tutors.loadForSearch({ municipality: '286', topic: 'email' }))).toEqual([ids.banker]);
    expect(idsOf(await tutors.loadForSearch({ topic: 'email' }))).toEqual([ids.banker, ids.helsinki].sort());
    expect(idsOf(await tutors.loadForSearch({ municipality: '286', language: 'en' }))).toEqual([ids.traveller]);
    expect(idsOf(await tutors.loadForSearch({ language: 'sv' }))).toEqual([ids.banker, ids.helsinki].sort());
    expect(idsOf(await tutors.loadForSearch({ locationIds: [H1.id] }))).toEqual([ids.traveller, ids.helsinki].sort());
    expect(idsOf(await tutors.loadForSearch({ municipality: '286', kinds: ['advisor'] }))).toEqual([ids.advisor]);
    expect(await tutors.loadForSearch({ locationIds: [closed.id] })).toEqual([]);
    expect(await tutors.loadForSearch({ municipality: '286', topic: 'taxes' })).toEqual([]);

    const [banker] = await tutors.loadForSearch({ locationIds: [K1.id], dates: { from: '2027-01-01', to: '2027-01-14' } });
    expect(banker.locations[0].rules.map((r) => r.weekday)).toEqual([2]);
    const [summer] = await tutors.loadForSearch({ locationIds: [K1.id], dates: { from: '2026-06-30', to: '2026-07-14' } });
    expect(summer.locations[0].rules.map((r) => r.weekday)).toEqual([4]);
  });

  it('takes the same few queries for 2 tutors as for 30 (no query per tutor)', async () => {
    const spy = jest.spyOn(t.db, 'query');
    try {
      await tutors.loadForSearch({ locationIds: [K2.id] });
      const few = spy.mock.calls.length;
      const crowd = await newLocation(t, { municipality: '091' });
      for (let i = 0; i < 30; i++) {
        await newTutor(t, { locationIds: [crowd.id], topics: ['email'], rules: [{ locationId: crowd.id, weekday: (i % 7) + 1, startTime: '10:00', endTime: '12:00' }] });
      }
      spy.mockClear();
      const many = await tutors.loadForSearch({ locationIds: [crowd.id] });
      expect(many).toHaveLength(30);
      expect(many.every((x) => x.locations[0].rules.length === 1 && x.topics.includes('email'))).toBe(true);
      expect(spy.mock.calls.length).toBe(few);
      expect(few).toBeGreaterThan(0);
      expect(few).toBeLessThanOrEqual(3);
    } finally {
      spy.mockRestore();
    }
  });

  it('loads absences overlapping a window for many tutors in one query', async () => {
    const insert = (tutorId: string, start: string, end: string) =>
      t.db.query('INSERT INTO tutor_absences (tutor_id, starts_at, ends_at) VALUES ($1, $2, $3)', [tutorId, start, end]);
    await insert(ids.banker, '2026-12-01T08:00:00Z', '2026-12-01T12:00:00Z');
    await insert(ids.banker, '2026-12-20T00:00:00Z', '2026-12-21T00:00:00Z');
    await insert(ids.traveller, '2026-11-30T00:00:00Z', '2026-12-01T08:00:00Z');
    const found = await tutors.absencesOverlapping([ids.banker, ids.traveller], new Date('2026-12-01T08:00:00Z'), new Date('2026-12-20T00:00:00Z'));
    expect(found).toEqual([{ tutorId: ids.banker, start: new Date('2026-12-01T08:00:00Z'), end: new Date('2026-12-01T12:00:00Z') }]);
  });
});
