import { SlotSearchRepository } from '../../src/modules/slots/slot-search.repository';
import { newBooking, newLocation, newTutor, TestLocation } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The search's busy statement against PostgreSQL, both ways it reads (by tutor: few tutors or a
 * long range; by time: 64 tutors or more over at most three days): each tutor's active bookings
 * and absences overlapping the range, by the tutor's position in the list asked for.
 */
describe('slot search: what keeps the tutors busy', () => {
  let t: TestApp;
  let repo: SlotSearchRepository;
  let branch: TestLocation;
  const tutors: string[] = [];
  let outsider: string;
  const ms = (iso: string) => Date.parse(iso);
  const FROM = ms('2027-03-10T08:00:00Z');
  const TO = ms('2027-03-11T08:00:00Z');

  beforeAll(async () => {
    t = await startTestApp();
    repo = t.app.get(SlotSearchRepository);
    branch = await newLocation(t);
    for (let i = 0; i < 70; i++) tutors.push((await newTutor(t, { locationIds: [branch.id] })).id);
    outsider = (await newTutor(t, { locationIds: [branch.id] })).id;
    const book = (tutorId: string, start: string, end: string, status: 'confirmed' | 'cancelled' = 'confirmed') =>
      newBooking(t, { locationId: branch.id, tutorId, start, end, status });
    const absent = (tutorId: string, start: string, end: string) =>
      t.db.query('INSERT INTO tutor_absences (tutor_id, starts_at, ends_at) VALUES ($1, $2, $3)', [tutorId, start, end]);
    await book(tutors[0], '2027-03-10T09:00:00Z', '2027-03-10T09:45:00Z');
    await book(tutors[0], '2027-03-10T12:00:00Z', '2027-03-10T12:30:00Z');
    // Starts almost a day before the range and ends inside it.
    await book(tutors[69], '2027-03-09T08:30:00Z', '2027-03-10T08:15:00Z');
    // Longer than a day, started well before the range.
    await book(tutors[5], '2027-03-07T00:00:00Z', '2027-03-12T00:00:00Z');
    // Six hours from five hours before the range (longer than the look-back by start time), and
    // four hours from just under four hours before it.
    await book(tutors[7], '2027-03-10T03:00:00Z', '2027-03-10T09:00:00Z');
    await book(tutors[8], '2027-03-10T04:01:00Z', '2027-03-10T08:01:00Z');
    // Ends where the range starts, starts where it ends: not overlapping.
    await book(tutors[6], '2027-03-10T07:00:00Z', '2027-03-10T08:00:00Z');
    await book(tutors[6], '2027-03-11T08:00:00Z', '2027-03-11T09:00:00Z');
    await book(tutors[1], '2027-03-10T10:00:00Z', '2027-03-10T10:45:00Z', 'cancelled');
    await book(outsider, '2027-03-10T10:00:00Z', '2027-03-10T10:45:00Z');
    await absent(tutors[2], '2027-03-10T13:00:00Z', '2027-03-10T15:30:00Z');
    await absent(tutors[3], '2027-03-12T13:00:00Z', '2027-03-12T15:30:00Z');
    await absent(outsider, '2027-03-10T13:00:00Z', '2027-03-10T15:30:00Z');
  });
  afterAll(() => t?.close());

  /** Every span of tutors[i], sorted (each check keeps those overlapping its range). */
  const expected: Record<number, [string, string][]> = {
    0: [
      ['2027-03-10T09:00:00Z', '2027-03-10T09:45:00Z'],
      ['2027-03-10T12:00:00Z', '2027-03-10T12:30:00Z'],
    ],
    2: [['2027-03-10T13:00:00Z', '2027-03-10T15:30:00Z']],
    3: [['2027-03-12T13:00:00Z', '2027-03-12T15:30:00Z']],
    5: [['2027-03-07T00:00:00Z', '2027-03-12T00:00:00Z']],
    6: [
      ['2027-03-10T07:00:00Z', '2027-03-10T08:00:00Z'],
      ['2027-03-11T08:00:00Z', '2027-03-11T09:00:00Z'],
    ],
    7: [['2027-03-10T03:00:00Z', '2027-03-10T09:00:00Z']],
    8: [['2027-03-10T04:01:00Z', '2027-03-10T08:01:00Z']],
    69: [['2027-03-09T08:30:00Z', '2027-03-10T08:15:00Z']],
  };

  const pairs = (spans: number[] | undefined) => {
    const out: [number, number][] = [];
    for (let i = 0; spans && i < spans.length; i += 2) out.push([spans[i], spans[i + 1]]);
    return out.sort((a, b) => a[0] - b[0]);
  };

  async function check(order: number[], from: number, to: number): Promise<void> {
    const ids = order.map((i) => tutors[i]);
    const busy = await repo.busy(ids, from, to);
    const [{ version }] = await t.db.query('SELECT version::text AS version FROM search_input_version');
    expect(busy.version).toBe(version);
    expect(busy.spans.length).toBeLessThanOrEqual(ids.length);
    order.forEach((tutor, position) => {
      const want = (expected[tutor] ?? []).map(([s, e]): [number, number] => [ms(s), ms(e)]).filter(([s, e]) => s < to && e > from);
      expect({ tutor, spans: pairs(busy.spans[position]) }).toEqual({ tutor, spans: want });
    });
  }

  it('reads by time for many tutors over a short range, in the order asked', async () => {
    const order = tutors.map((_, i) => i).reverse();
    await check(order, FROM, TO);
  });

  it('reads by tutor for a few tutors, and for many over a long range, with the same answers', async () => {
    await check([69, 2, 0, 1, 5, 6, 7, 8], FROM, TO);
    await check(
      tutors.map((_, i) => i),
      FROM,
      TO + 5 * 86_400_000,
    );
  });

  it("leaves out other tutors' bookings, cancelled ones, and anything outside the range", async () => {
    const busy = await repo.busy([tutors[1], tutors[3], tutors[6], outsider], FROM, TO);
    expect(busy.spans.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(pairs(busy.spans[3])).toEqual([
      [ms('2027-03-10T10:00:00Z'), ms('2027-03-10T10:45:00Z')],
      [ms('2027-03-10T13:00:00Z'), ms('2027-03-10T15:30:00Z')],
    ]);
  });

  it('answers the version alone for no tutors', async () => {
    const busy = await repo.busy([], FROM, FROM + 1);
    expect(busy.spans).toEqual([]);
    expect(busy.version).toMatch(/^\d+$/);
  });
});
