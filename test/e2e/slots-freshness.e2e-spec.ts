import { newLocation, newTutor } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const WEEKDAYS: Record<number, [string, string][]> = { 1: [['10:00', '19:00']], 2: [['10:00', '19:00']], 3: [['10:00', '19:00']], 4: [['10:00', '19:00']], 5: [['10:00', '16:00']] };

/**
 * The search keeps branches, hours, tutors and rules in memory between changes: every change to
 * them, by any path (here plain SQL, as another app instance would), shows in the next search.
 */
describe('GET /slots sees every change at once', () => {
  let t: TestApp;
  let branch: { id: string };
  let tutor: { id: string };

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-12-01T06:00:00Z' });
    branch = await newLocation(t, { municipality: '286', weeklyHours: [{ days: WEEKDAYS }] });
    tutor = await newTutor(t, {
      displayName: 'Liisa K.',
      locationIds: [branch.id],
      topics: ['email'],
      languages: ['fi'],
      rules: [2, 3, 4].map((weekday) => ({ locationId: branch.id, weekday, startTime: '12:00', endTime: '14:00' })),
    });
  });
  afterAll(() => t.close());

  const starts = async (query: Record<string, string> = {}) =>
    ((await t.http.get('/api/v1/slots').query({ locationId: branch.id, from: '2026-12-02', to: '2026-12-02', ...query }).expect(200)).body.items as { start: string }[]).map(
      (s) => s.start,
    );

  it('follows rules, closures, exceptions, topics, tutors and branches as they change', async () => {
    await expect(starts()).resolves.toEqual(['2026-12-02T12:00:00+02:00', '2026-12-02T13:00:00+02:00']);

    await t.db.query(`UPDATE availability_rules SET start_minute = 780 WHERE tutor_id = $1 AND weekday = 3`, [tutor.id]);
    await expect(starts()).resolves.toEqual(['2026-12-02T13:00:00+02:00']);

    await t.db.query(`INSERT INTO location_closures (location_id, during) VALUES ($1, tstzrange('2026-12-02T11:00:00Z', '2026-12-02T12:00:00Z'))`, [branch.id]);
    await expect(starts()).resolves.toEqual([]);
    await t.db.query(`DELETE FROM location_closures WHERE location_id = $1`, [branch.id]);
    await expect(starts()).resolves.toEqual(['2026-12-02T13:00:00+02:00']);

    await t.db.query(`INSERT INTO location_exceptions (location_id, date, hours) VALUES ($1, '2026-12-02', '[["10:00","13:30"]]')`, [branch.id]);
    await expect(starts()).resolves.toEqual([]);
    await t.db.query(`DELETE FROM location_exceptions WHERE location_id = $1`, [branch.id]);

    await expect(starts({ topic: 'kela' })).resolves.toEqual([]);
    await t.db.query(`INSERT INTO tutor_topics (tutor_id, topic_id) SELECT $1, id FROM topics WHERE slug = 'kela'`, [tutor.id]);
    await expect(starts({ topic: 'kela' })).resolves.toEqual(['2026-12-02T13:00:00+02:00']);
    await t.db.query(`UPDATE topics SET active = false WHERE slug = 'kela'`);
    await expect(starts({ topic: 'kela' })).resolves.toEqual([]);
    await t.db.query(`UPDATE topics SET active = true WHERE slug = 'kela'`);

    await t.db.query(`UPDATE tutors SET active = false WHERE id = $1`, [tutor.id]);
    await expect(starts()).resolves.toEqual([]);
    await t.db.query(`UPDATE tutors SET active = true WHERE id = $1`, [tutor.id]);
    await expect(starts()).resolves.toEqual(['2026-12-02T13:00:00+02:00']);

    await t.db.query(`UPDATE locations SET active = false WHERE id = $1`, [branch.id]);
    await expect(starts()).resolves.toEqual([]);
    await t.db.query(`UPDATE locations SET active = true WHERE id = $1`, [branch.id]);
    await expect(starts()).resolves.toEqual(['2026-12-02T13:00:00+02:00']);
  });

  it('raises the inputs version once per committed change, and not for a rolled-back one', async () => {
    const version = async () => BigInt((await t.db.query(`SELECT version FROM search_input_version`))[0].version);
    const before = await version();
    await t.db.transaction(async (m) => {
      await m.query(`UPDATE availability_rules SET buffer_minutes = 10 WHERE tutor_id = $1`, [tutor.id]);
      await m.query(`UPDATE tutors SET display_name = 'Liisa Ko.' WHERE id = $1`, [tutor.id]);
    });
    await expect(version()).resolves.toBe(before + 1n);
    await t.db
      .transaction(async (m) => {
        await m.query(`UPDATE tutors SET display_name = 'Nobody' WHERE id = $1`, [tutor.id]);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await expect(version()).resolves.toBe(before + 1n);
    const [slot] = (await t.http.get('/api/v1/slots').query({ locationId: branch.id, from: '2026-12-02', to: '2026-12-02' }).expect(200)).body.items;
    expect(slot.tutorDisplayName).toBe('Liisa Ko.');
  });
});
