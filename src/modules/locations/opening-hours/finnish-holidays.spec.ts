import { finnishHolidays } from './finnish-holidays';

describe('finnishHolidays (date-holidays, FI, types public and bank)', () => {
  const list = finnishHolidays('2026-12-01', '2027-12-31');
  const on = (date: string) => list.filter((h) => h.date === date);

  it('lists the real closing days of 2026-12 … 2027 as whole days', () => {
    expect(list.map((h) => h.date)).toEqual([
      '2026-12-06',
      '2026-12-24',
      '2026-12-25',
      '2026-12-26',
      '2026-12-31',
      '2027-01-01',
      '2027-01-06',
      '2027-03-26',
      '2027-03-28',
      '2027-03-29',
      '2027-05-01',
      '2027-05-06',
      '2027-05-16',
      '2027-06-25',
      '2027-06-26',
      '2027-11-06',
      '2027-12-06',
      '2027-12-24',
      '2027-12-25',
      '2027-12-26',
      '2027-12-31',
    ]);
    for (const h of list) expect([h.start, h.end]).toEqual([0, 1440]);
  });

  it('names them in fi, sv and en', () => {
    expect(on('2026-12-06')[0].name).toEqual({ fi: 'Itsenäisyyspäivä', sv: 'Självständighetsdagen', en: 'Independence Day' });
    expect(on('2026-12-24')[0].name).toEqual({ fi: 'Jouluaatto', sv: 'Julafton', en: 'Christmas Eve' });
    expect(on('2027-03-26')[0].name).toEqual({ fi: 'Pitkäperjantai', sv: 'Långfredagen', en: 'Good Friday' });
    expect(on('2027-05-06')[0].name).toEqual({ fi: 'Helatorstai', sv: 'Kristi himmelsfärdsdag', en: 'Ascension Day' });
    expect(on('2027-06-25')[0].name).toEqual({ fi: 'Juhannusaatto', sv: 'Midsommarafton', en: 'Midsummer Eve' });
  });

  it("leaves out observances (Mother's Day, Father's Day)", () => {
    expect(on('2027-05-09')).toEqual([]);
    expect(on('2027-11-14')).toEqual([]);
  });

  it('keeps to the range, inclusive at both ends', () => {
    expect(finnishHolidays('2026-12-06', '2026-12-06').map((h) => h.date)).toEqual(['2026-12-06']);
    expect(finnishHolidays('2026-12-07', '2026-12-23')).toEqual([]);
  });
});
