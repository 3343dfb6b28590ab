import { formatInstant } from '../../common/time/format';
import type { LocationSummary } from '../locations/locations.service';
import type { BookingRecord } from './bookings.repository';
import type { BookingView } from './dto/booking.dto';
import type { PartnerBookingView } from './dto/partner.dto';
import type { StaffBookingView } from './dto/staff.dto';

/** What a view shows of a booking: a stored record, or one just placed (built from the request). */
export type ViewedBooking = Pick<
  BookingRecord,
  | 'id' | 'reference' | 'status' | 'start' | 'end' | 'topic' | 'language' | 'kind' | 'channel' | 'tutorId' | 'tutorDisplayName'
  | 'partnerId' | 'claimId' | 'residentName' | 'residentPhone' | 'residentEmail' | 'residentLanguage' | 'notes' | 'outcome' | 'version'
> &
  Partial<Pick<BookingRecord, 'tutorAbsent'>>;

/** What a new booking is made of before a tutor is chosen (the request, normalised). */
export interface NewBookingFields {
  id: string;
  reference: string;
  topic: string;
  language: string;
  channel: ViewedBooking['channel'];
  resident: { name: string; phone: string | null; email: string | null; language: ViewedBooking['residentLanguage'] };
  notes: string | null;
}

/** The booking place_booking inserts for this candidate slot, as a view shows it (no read-back needed). */
export function newBookingRecord(
  f: NewBookingFields,
  slot: { tutorId: string; tutorDisplayName: string; startMs: number; endMs: number; kind: ViewedBooking['kind']; partnerId: string | null; claimId: string | null },
): ViewedBooking {
  return {
    id: f.id,
    reference: f.reference,
    status: 'confirmed',
    start: new Date(slot.startMs),
    end: new Date(slot.endMs),
    topic: f.topic,
    language: f.language,
    kind: slot.kind,
    channel: f.channel,
    tutorId: slot.tutorId,
    tutorDisplayName: slot.tutorDisplayName,
    partnerId: slot.partnerId,
    claimId: slot.claimId,
    residentName: f.resident.name,
    residentPhone: f.resident.phone,
    residentEmail: f.resident.email,
    residentLanguage: f.resident.language,
    notes: f.notes,
    outcome: null,
    version: 1, // the table's default for a new row
  };
}

/**
 * A booking as API.md shows it: instants in the branch's offset without milliseconds; the manage
 * token only in the response that created the booking.
 */
export function toBookingView(b: ViewedBooking, place: LocationSummary, manageToken?: string): BookingView {
  return {
    id: b.id,
    reference: b.reference,
    status: b.status,
    start: formatInstant(b.start, place.timezone),
    end: formatInstant(b.end, place.timezone),
    topic: b.topic,
    language: b.language,
    kind: b.kind,
    channel: b.channel,
    location: { id: place.id, name: place.name, address: place.address, timezone: place.timezone },
    tutor: { id: b.tutorId, displayName: b.tutorDisplayName },
    partnerId: b.partnerId,
    claimId: b.claimId,
    resident: { name: b.residentName, phone: b.residentPhone, email: b.residentEmail, language: b.residentLanguage },
    ...(manageToken === undefined ? {} : { manageToken }),
    version: b.version,
  };
}

/**
 * The booking as staff and tutors see it: the public view plus notes and outcome, and
 * `tutorAbsent: true` while its tutor has an absence over it (another branch may have recorded it).
 */
export function toStaffBookingView(b: ViewedBooking, place: LocationSummary, manageToken?: string): StaffBookingView {
  const { version, manageToken: token, ...rest } = toBookingView(b, place, manageToken);
  return {
    ...rest,
    notes: b.notes,
    outcome: b.outcome,
    ...(b.tutorAbsent ? { tutorAbsent: true } : {}),
    ...(token === undefined ? {} : { manageToken: token }),
    version,
  };
}

/**
 * A session in a partner's claim as the partner sees it (API.md: partner's view of a booking): the
 * resident's first name only, and phone and e-mail only where the branch shares contacts with
 * partners.
 */
export function toPartnerBookingView(b: BookingRecord, place: LocationSummary): PartnerBookingView {
  const firstName = b.residentName.trim().split(/\s+/)[0] ?? '';
  return {
    id: b.id,
    reference: b.reference,
    start: formatInstant(b.start, place.timezone),
    end: formatInstant(b.end, place.timezone),
    topic: b.topic,
    language: b.language,
    status: b.status,
    resident: place.policy.shareContactWithPartners ? { firstName, phone: b.residentPhone, email: b.residentEmail } : { firstName },
    notes: b.notes,
    outcome: b.outcome,
    claimId: b.claimId!,
    locationId: b.locationId,
    advisor: { id: b.tutorId, displayName: b.tutorDisplayName },
  };
}
