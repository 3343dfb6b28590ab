import { randomBytes } from 'node:crypto';
import type { PostRequest } from './lean-http-client';
import type { RawBooking } from './raw-booking-loop';
import type { BenchSlot } from './slot-supply';

/**
 * Booking requests for free slots, each from a resident of its own (phone, address, name,
 * idempotency key), as an HTTP request or as the raw loop's booking.
 */
export class BookingRequests {
  private resident = 0;
  private readonly runTag = randomBytes(3).toString('hex');

  constructor(
    private readonly withKey: boolean,
    private readonly topicIdBySlug: ReadonlyMap<string, string>,
  ) {}

  http(s: BenchSlot): PostRequest {
    const n = ++this.resident;
    const body = {
      locationId: s.locationId,
      start: s.start,
      topic: s.topics[n % s.topics.length],
      language: s.languages[n % s.languages.length],
      kind: 'tutoring',
      tutorId: s.tutorId,
      claimId: null,
      resident: { name: `Asukas ${n}`, phone: phoneOf(n), email: null, language: 'fi' },
      notes: 'Uusi puhelin',
      consent: true,
    };
    const headers: Record<string, string> = { 'x-forwarded-for': ipOf(n) };
    if (this.withKey) headers['idempotency-key'] = `bench-${this.runTag}-${n}`;
    return { body: JSON.stringify(body), headers };
  }

  raw(s: BenchSlot): RawBooking {
    const n = ++this.resident;
    return {
      locationId: s.locationId,
      tutorId: s.tutorId,
      topicId: this.topicIdBySlug.get(s.topics[n % s.topics.length])!,
      language: s.languages[n % s.languages.length],
      start: new Date(s.startMs),
      end: new Date(s.endMs),
      phone: phoneOf(n),
      name: `Asukas ${n}`,
      key: this.withKey ? `bookings:raw-${this.runTag}-${n}` : undefined,
    };
  }
}

function phoneOf(n: number): string {
  return `+35850${String(1_000_000 + n).padStart(7, '0')}`;
}

function ipOf(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}
