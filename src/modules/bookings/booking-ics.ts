import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { ICalCalendar, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';

export type ResidentLanguage = 'fi' | 'sv' | 'en';
type Localized = { fi: string; sv: string; en: string };

/** What the resident's calendar file shows of a booking. */
export interface IcsBooking {
  id: string;
  reference: string;
  status: string;
  start: Date;
  end: Date;
  /** iCalendar SEQUENCE: rises with every reschedule and cancellation. */
  sequence: number;
  /** DTSTAMP: when the booking last changed. */
  updatedAt: Date;
  timeZone: string;
  language: ResidentLanguage;
  topicName: Localized;
  tutorDisplayName: string;
  /** The partner organisation whose advisor holds an advisory session. */
  partnerName?: Localized | null;
  location: { name: Localized; address: { street: string; postalCode: string; city: string } };
}

const TEXTS = {
  fi: { title: 'Digituki', cancelled: 'PERUTTU', reference: 'Varaustunnus', topic: 'Aihe', tutor: 'Opastaja', partner: 'Neuvoja', place: 'Paikka', note: 'Voit perua tai siirtää ajan varausvahvistuksen linkistä.' },
  sv: { title: 'Digistöd', cancelled: 'INSTÄLLD', reference: 'Bokningskod', topic: 'Ämne', tutor: 'Handledare', partner: 'Rådgivare', place: 'Plats', note: 'Du kan avboka eller flytta tiden via länken i bokningsbekräftelsen.' },
  en: { title: 'Digital support', cancelled: 'CANCELLED', reference: 'Booking reference', topic: 'Topic', tutor: 'Tutor', partner: 'Advice from', place: 'Place', note: 'You can cancel or move the time from the link in your booking confirmation.' },
} as const;

/**
 * For a calendar file sent by e-mail: an invitation (METHOD:REQUEST) from the sender to the
 * resident, or its withdrawal (METHOD:CANCEL, same UID). Without it the file is published
 * (METHOD:PUBLISH), as the download is.
 */
export interface IcsInvitation {
  method: 'REQUEST' | 'CANCEL';
  organizer: string;
  attendee: { name: string; email: string };
}

/** A booking record and its branch as the calendar file shows them (the download and the e-mails). */
export function icsBookingOf(
  b: Omit<IcsBooking, 'timeZone' | 'language' | 'location'> & { residentLanguage: ResidentLanguage },
  place: { timeZone: string; name: Localized; address: IcsBooking['location']['address'] },
): IcsBooking {
  return {
    id: b.id,
    reference: b.reference,
    status: b.status,
    start: b.start,
    end: b.end,
    sequence: b.sequence,
    updatedAt: b.updatedAt,
    timeZone: place.timeZone,
    language: b.residentLanguage,
    topicName: b.topicName,
    tutorDisplayName: b.tutorDisplayName,
    partnerName: b.partnerName,
    location: { name: place.name, address: place.address },
  };
}

/** Stable across reschedules, so calendars update the event instead of adding one. */
export function icsUid(bookingId: string): string {
  return `${bookingId}@tukiaika`;
}

/**
 * The booking as an iCalendar file: times in the branch's zone with TZID and a VTIMEZONE block,
 * texts in the resident's language, the address as LOCATION, STATUS:CANCELLED once cancelled.
 * Times are luxon DateTimes in that zone (ical-generator writes JS Dates in the process's zone);
 * no calendar-wide zone is set, so DTSTAMP stays in UTC as RFC 5545 requires.
 */
export function renderBookingIcs(b: IcsBooking, invitation?: IcsInvitation): string {
  // A wall time the autumn change repeats (03:00–04:00 twice in Helsinki) cannot be told apart
  // with TZID (RFC 5545 reads it as the first one): such a booking is written in UTC instead.
  const zoned = !isAmbiguousWallTime(b.start, b.timeZone) && !isAmbiguousWallTime(b.end, b.timeZone);
  const zone = zoned ? b.timeZone : 'utc';
  const t = TEXTS[b.language] ?? TEXTS.fi;
  const lang = b.language in TEXTS ? b.language : 'fi';
  const cancelled = b.status === 'cancelled';
  const place = b.location.name[lang];
  const partner = b.partnerName?.[lang];
  const { street, postalCode, city } = b.location.address;
  const cal = new ICalCalendar({ prodId: { company: 'Tukiaika', product: 'booking', language: lang.toUpperCase() }, method: invitation ? ICalCalendarMethod[invitation.method] : ICalCalendarMethod.PUBLISH });
  cal.timezone({ name: null, generator: getVtimezoneComponent });
  cal.createEvent({
    id: icsUid(b.id),
    sequence: b.sequence,
    stamp: DateTime.fromJSDate(b.updatedAt, { zone: 'utc' }),
    start: DateTime.fromJSDate(b.start, { zone }),
    end: DateTime.fromJSDate(b.end, { zone }),
    ...(zoned ? { timezone: b.timeZone } : {}),
    summary: `${cancelled ? `${t.cancelled}: ` : ''}${t.title}: ${b.topicName[lang]}${partner ? ` (${partner})` : ''} – ${place}`,
    description: [
      `${t.reference}: ${b.reference}`,
      `${t.topic}: ${b.topicName[lang]}`,
      ...(partner ? [`${t.partner}: ${partner}`] : []),
      `${t.tutor}: ${b.tutorDisplayName}`,
      `${t.place}: ${place}, ${street}, ${postalCode} ${city}`,
      '',
      t.note,
    ].join('\n'),
    location: `${place}, ${street}, ${postalCode} ${city}`,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    ...(invitation
      ? {
          organizer: { name: place, email: invitation.organizer },
          attendees: [{ name: invitation.attendee.name, email: invitation.attendee.email, rsvp: false }],
        }
      : {}),
  });
  return cal.toString();
}

/** True when the local wall time of `instant` in `timeZone` also names another instant. */
export function isAmbiguousWallTime(instant: Date, timeZone: string): boolean {
  const ms = instant.getTime();
  const offset = DateTime.fromMillis(ms, { zone: timeZone }).offset;
  const nearby = new Set([-3, 3].map((hours) => DateTime.fromMillis(ms + hours * 3_600_000, { zone: timeZone }).offset));
  for (const other of nearby) {
    if (other === offset) continue;
    const twin = ms + (offset - other) * 60_000;
    if (DateTime.fromMillis(twin, { zone: timeZone }).offset === other) return true;
  }
  return false;
}
