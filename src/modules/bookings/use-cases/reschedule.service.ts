import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { actorKindOf } from '../../../common/access/booking-access';
import { Principal } from '../../../common/auth/principal';
import { assertIfMatch } from '../../../common/http/if-match';
import { ProblemException } from '../../../common/problem/problem.exception';
import { Clock } from '../../../common/time/clock';
import { parseInstant } from '../../../common/time/instant';
import type { LocationSummary } from '../../locations/locations.service';
import { BookableSlotsService } from '../../slots/bookable-slots.service';
import type { FreeSlot } from '../../slots/slot-common';
import { TutorsService } from '../../tutors/tutors.service';
import { toBookingView, toStaffBookingView } from '../booking-view';
import { BookingRecord, BookingsRepository, sqlState } from '../bookings.repository';
import { BookingView, RescheduleBookingDto } from '../dto/booking.dto';
import { StaffBookingView } from '../dto/staff.dto';
import { decideTransition } from '../rules/lifecycle';
import { Actor, actorColumns, assertVerdict, RESIDENT } from './actors';
import { BookingPlaces } from './booking-places';
import { ManageLinkService } from './manage-link.service';
import { assertResidentMayChange } from './resident-change';
import { byWeekLoad } from './week-load';
import { SlotFilter, takenProblem, WhyNotService } from './why-not.service';

/** A staff move's deadlocks undone and tried again before the error is let through. */
const MAX_DEADLOCK_RETRIES = 3;

/**
 * The "reschedule" use case: a resident's move (by manage token, until the branch's deadline)
 * and a staff move (before the start, no minimum notice). The booking keeps its id, reference
 * and token; the old time stays if the new one fails. Inside the move's transaction the time is
 * re-checked as a real free slot (BookableSlotsService); when it is not one, WhyNotService says
 * which rule it breaks, after the transaction has ended.
 */
@Injectable()
export class RescheduleService {
  constructor(
    private readonly repo: BookingsRepository,
    private readonly clock: Clock,
    private readonly tutors: TutorsService,
    private readonly bookable: BookableSlotsService,
    private readonly places: BookingPlaces,
    private readonly links: ManageLinkService,
    private readonly whyNot: WhyNotService,
  ) {}

  async byToken(token: string, dto: RescheduleBookingDto): Promise<BookingView> {
    const start = parseStart(dto);
    const seen = await this.links.byToken(token);
    const place = await this.places.of(seen);
    await this.move(seen, place, start, dto.tutorId ?? undefined, {
      actor: RESIDENT,
      ignoreNotice: false,
      lockAndCheck: async (m, now) => {
        const b = await this.links.byToken(token, m);
        assertResidentMayChange(b, place, now, 'reschedule');
        return b;
      },
    });
    return toBookingView((await this.repo.findById(seen.id))!, place);
  }

  /**
   * Staff move a booking (any time before its start; no minimum notice; the horizon applies).
   * The caller has checked that `caller` may see `seen` and may move bookings at all. If-Match
   * names the version the caller read (412 when stale).
   */
  async byStaff(caller: Principal, seen: BookingRecord, dto: RescheduleBookingDto, ifMatch?: string): Promise<StaffBookingView> {
    const start = parseStart(dto);
    const place = await this.places.of(seen);
    const actor = actorKindOf(caller);
    await this.move(seen, place, start, dto.tutorId ?? undefined, {
      actor: { type: 'user', userId: caller.id },
      ignoreNotice: true,
      lockAndCheck: async (m, now) => {
        const b = (await this.repo.findById(seen.id, m, true))!;
        assertIfMatch(ifMatch, b.version);
        assertVerdict(decideTransition({ status: b.status, start: b.start.getTime(), end: b.end.getTime(), now: now.getTime(), action: 'reschedule', actor }));
        return b;
      },
    });
    return toStaffBookingView((await this.repo.findById(seen.id))!, place);
  }

  /**
   * Moves a booking to a free slot starting at `start` at the same branch, in one transaction:
   * `lockAndCheck` locks the row and says whether the change is allowed now; without a tutor
   * wish the booking keeps its tutor when that tutor is free then.
   */
  private async move(
    seen: BookingRecord,
    place: LocationSummary,
    start: Date,
    tutorId: string | undefined,
    o: { actor: Actor; ignoreNotice: boolean; lockAndCheck: (m: EntityManager, now: Date) => Promise<BookingRecord> },
  ): Promise<void> {
    if (tutorId && !(await this.tutors.tutorExists(tutorId))) {
      throw ProblemException.validation('tutorId', 'unknown-tutor', 'No tutor has this id.');
    }
    // An advisory session moves only to another session of its own claim (still approved).
    const claimId = seen.claimId ?? undefined;
    if (claimId && !(await this.bookable.isClaimSession(claimId, start))) {
      throw new ProblemException('claim-not-bookable', 'An advisory session moves only to another session of the same approved claim.');
    }
    const tutorIds = tutorId ? [tutorId] : undefined;
    const filter: SlotFilter = { claimId, tutorIds, topic: seen.topic, language: seen.language, excludeBookingId: seen.id, ignoreNotice: o.ignoreNotice };

    // The tutors who could take the new time, read before the transaction: it takes their guard
    // locks (and the branch's) before it locks the booking row, in the order a closure's or an
    // absence's cascade takes them, so a move and a schedule change take turns without deadlock.
    const possible = [...new Set((await this.bookable.freeSlotsFor({ locationId: place.id, ...filter, from: start, to: new Date(start.getTime() + 1) })).map((s) => s.tutorId))];
    // Every statement of the transaction, the slot re-check's included (and a reload of the
    // slot search snapshot it may need), runs on the transaction's own connection.
    const moved = await this.repo.transaction(async (m) => {
      const now = this.clock.now();
      await this.repo.guard(m, place.id, possible);
      const b = await o.lockAndCheck(m, now);
      const free = (await this.freeAt(m, place, start, filter)).filter((s) => possible.includes(s.tutorId));
      if (free.length === 0) return false;
      // Without a wish, the resident keeps the tutor they have when that tutor is free then.
      const ordered = await byWeekLoad(this.repo, m, free, place);
      const mine = ordered.filter((s) => s.tutorId === b.tutorId);
      const slot = await this.placeFirst(m, [...mine, ...ordered.filter((s) => s.tutorId !== b.tutorId)], (s) =>
        this.repo.move(m, b.id, s.tutorId, new Date(s.startMs), new Date(s.endMs), now),
      );
      if (!slot) throw takenProblem(tutorIds);
      await this.repo.insertEvent(m, {
        bookingId: b.id,
        type: 'rescheduled',
        at: now,
        ...actorColumns(o.actor),
        reason: null,
        payload: {
          from: { start: b.start.toISOString(), end: b.end.toISOString(), tutorId: b.tutorId },
          to: { start: new Date(slot.startMs).toISOString(), end: new Date(slot.endMs).toISOString(), tutorId: slot.tutorId },
        },
      });
      return true;
    });
    if (!moved) throw await this.whyNot.problem(place, start, filter);
  }

  /** Free slots starting exactly at `start`, read inside the transaction. */
  private async freeAt(m: EntityManager, place: LocationSummary, start: Date, f: SlotFilter): Promise<FreeSlot[]> {
    const slots = await this.bookable.freeSlotsFor({
      locationId: place.id,
      claimId: f.claimId,
      tutorIds: f.tutorIds,
      topic: f.topic,
      language: f.language,
      from: start,
      to: new Date(start.getTime() + 1),
      excludeBookingId: f.excludeBookingId,
      ignoreNotice: f.ignoreNotice,
      manager: m,
    });
    return slots.filter((s) => s.startMs === start.getTime() && s.kind === (f.claimId ? 'advisory' : 'tutoring'));
  }

  /**
   * Tries the slots in order, each behind a savepoint: when the exclusion constraint says a
   * concurrent booking took that tutor (23P01), the next one is tried. Undefined when all are taken.
   *
   * A deadlock in the exclusion check (another writer's uncommitted booking and this write each
   * waiting for the other, 40P01) is undone to the savepoint, which releases this write so the
   * other goes on; the same slot is then tried again, now simply waiting for the other to end.
   */
  private async placeFirst(m: EntityManager, slots: FreeSlot[], write: (slot: FreeSlot) => Promise<void>): Promise<FreeSlot | undefined> {
    for (const slot of slots) {
      for (let deadlocks = 0; ; ) {
        await m.query('SAVEPOINT place_booking');
        try {
          await write(slot);
          await m.query('RELEASE SAVEPOINT place_booking');
          return slot;
        } catch (error) {
          const state = sqlState(error);
          const retry = state === '40P01' && ++deadlocks <= MAX_DEADLOCK_RETRIES;
          if (state !== '23P01' && !retry) throw error;
          await m.query('ROLLBACK TO SAVEPOINT place_booking');
          if (!retry) break;
        }
      }
    }
    return undefined;
  }
}

function parseStart(dto: RescheduleBookingDto): Date {
  const start = parseInstant(dto.start);
  if (!start) throw ProblemException.validation('start', 'invalid-instant', 'start is an instant with an offset.');
  return start;
}
