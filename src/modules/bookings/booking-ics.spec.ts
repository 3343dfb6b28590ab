import ICAL from 'ical.js';
import { IcsBooking, isAmbiguousWallTime, renderBookingIcs } from './booking-ics';

const booking = (over: Partial<IcsBooking> = {}): IcsBooking => ({
  id: '6f1c2b8e-2f0a-4e47-9d7e-0c8a1b2c3d4e',
  reference: 'K7M-4QX',
  status: 'confirmed',
  start: new Date('2027-10-31T08:00:00Z'), // 10:00+02:00, the day clocks fall back
  end: new Date('2027-10-31T08:45:00Z'),
  sequence: 0,
  updatedAt: new Date('2027-10-01T09:30:00Z'),
  timeZone: 'Europe/Helsinki',
  language: 'fi',
  topicName: { fi: 'Verkkopankki', sv: 'Nätbank', en: 'Online banking' },
  tutorDisplayName: 'Matti V.',
  location: { name: { fi: 'Kouvolan pääkirjasto', sv: 'Kouvola huvudbibliotek', en: 'Kouvola Main Library' }, address: { street: 'Salamakuja 3', postalCode: '45100', city: 'Kouvola' } },
  ...over,
});

/** Reads the file back with ical.js, an independent parser, resolving TZID through the VTIMEZONE. */
function readBack(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const event = new ICAL.Event(cal.getFirstSubcomponent('vevent')!);
  const vevent = cal.getFirstSubcomponent('vevent')!;
  return {
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    tzid: vevent.getFirstProperty('dtstart')!.getParameter('tzid'),
    uid: event.uid,
    sequence: event.sequence,
    summary: event.summary,
    description: event.description,
    location: event.location,
    status: vevent.getFirstPropertyValue('status'),
    timezones: cal.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid')),
  };
}

describe('renderBookingIcs', () => {
  it('writes the branch’s local time with TZID and a VTIMEZONE, giving the right UTC instant on a DST day', () => {
    const text = renderBookingIcs(booking());
    expect(text).toContain('DTSTART;TZID=Europe/Helsinki:20271031T100000');
    expect(text).toMatch(/DTSTAMP:20271001T093000Z/);
    const read = readBack(text);
    expect(read.timezones).toEqual(['Europe/Helsinki']);
    expect(read.tzid).toBe('Europe/Helsinki');
    expect(read.start).toBe('2027-10-31T08:00:00.000Z');
    expect(read.end).toBe('2027-10-31T08:45:00.000Z');
    const spring = readBack(renderBookingIcs(booking({ start: new Date('2027-03-29T07:00:00Z'), end: new Date('2027-03-29T07:45:00Z') })));
    expect(spring.start).toBe('2027-03-29T07:00:00.000Z'); // 10:00+03:00
  });

  it('speaks the resident’s language and gives the address as LOCATION', () => {
    const fi = readBack(renderBookingIcs(booking()));
    expect(fi.summary).toBe('Digituki: Verkkopankki – Kouvolan pääkirjasto');
    expect(fi.description).toContain('Varaustunnus: K7M-4QX');
    expect(fi.location).toBe('Kouvolan pääkirjasto, Salamakuja 3, 45100 Kouvola');
    const sv = readBack(renderBookingIcs(booking({ language: 'sv' })));
    expect(sv.summary).toBe('Digistöd: Nätbank – Kouvola huvudbibliotek');
    expect(sv.description).toContain('Bokningskod: K7M-4QX');
    const en = readBack(renderBookingIcs(booking({ language: 'en' })));
    expect(en.summary).toBe('Digital support: Online banking – Kouvola Main Library');
    expect(en.description).toContain('Tutor: Matti V.');
  });

  it('keeps the UID, carries the SEQUENCE and marks a cancelled booking', () => {
    const first = readBack(renderBookingIcs(booking()));
    const moved = readBack(renderBookingIcs(booking({ sequence: 2, status: 'cancelled' })));
    expect(first.uid).toBe('6f1c2b8e-2f0a-4e47-9d7e-0c8a1b2c3d4e@tukiaika');
    expect(moved.uid).toBe(first.uid);
    expect(first.sequence).toBe(0);
    expect(moved.sequence).toBe(2);
    expect(first.status).toBe('CONFIRMED');
    expect(moved.status).toBe('CANCELLED');
    expect(moved.summary).toMatch(/^PERUTTU: /);
  });

  it('round-trips every instant of the repeated autumn hour exactly (issue 18 item 12)', () => {
    for (const [start, end] of [
      ['2027-10-31T03:00:00+02:00', '2027-10-31T03:45:00+02:00'], // the second 03:00 (after the change)
      ['2027-10-31T03:00:00+03:00', '2027-10-31T03:45:00+03:00'], // the first 03:00
      ['2027-10-31T02:30:00+03:00', '2027-10-31T03:15:00+03:00'], // ends in the repeated hour
      ['2027-10-31T03:30:00+03:00', '2027-10-31T03:15:00+02:00'], // crosses the change
    ]) {
      const text = renderBookingIcs(booking({ start: new Date(start), end: new Date(end) }));
      const read = readBack(text);
      expect({ start: read.start, end: read.end }).toEqual({ start: new Date(start).toISOString(), end: new Date(end).toISOString() });
      expect(text).not.toMatch(/DTSTART;TZID=Europe\/Helsinki:20271031T03/);
    }
  });

  it('tells the repeated wall times from the others', () => {
    expect(isAmbiguousWallTime(new Date('2027-10-31T03:00:00+02:00'), 'Europe/Helsinki')).toBe(true);
    expect(isAmbiguousWallTime(new Date('2027-10-31T03:59:00+03:00'), 'Europe/Helsinki')).toBe(true);
    expect(isAmbiguousWallTime(new Date('2027-10-31T04:00:00+02:00'), 'Europe/Helsinki')).toBe(false);
    expect(isAmbiguousWallTime(new Date('2027-10-31T02:59:00+03:00'), 'Europe/Helsinki')).toBe(false);
    expect(isAmbiguousWallTime(new Date('2027-03-28T03:30:00+03:00'), 'Europe/Helsinki')).toBe(false);
    expect(isAmbiguousWallTime(new Date('2027-10-31T03:00:00Z'), 'UTC')).toBe(false);
  });
});
