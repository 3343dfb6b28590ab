import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../../common/time/clock';
import { formatInstant } from '../../../common/time/format';
import type { ClaimBookings } from '../../claims/claim-bookings.port';
import type { AffectedBooking, ClosureBookings } from '../../locations/closure-bookings.port';
import type { TutorBookingAt, TutorScheduleBookings } from '../../tutors/tutor-schedule-bookings.port';
import { BookingsRepository, OverlapQuery, TouchedBooking } from '../bookings.repository';
import type { GridRule } from '../../slots/engine';
import { fitsOpening, fitsRules } from '../rules/fits-rules';

/** Bookings of cancelled claims: whenever they are, as long as they have not ended. */
const END_OF_TIME = new Date('9999-12-31T00:00:00Z');

/** Why bookings are cancelled by a cascade (a closure, an absence, a cancelled claim), recorded on each `cancelled` event. */
interface CascadeCancel {
  reason: string | null;
  /** The user whose closure, absence or claim cancellation it is (null: the system's). */
  actorUserId: string | null;
  /** What caused it, e.g. `{ closureId }` or `{ absenceId }` (event payload). */
  cause: Record<string, string>;
  /** Cancel only the bookings this allows (the caller's scope); the rest are only listed. */
  only?: (b: { locationId: string; tutorId: string }) => boolean;
}

/** The absence a `tutor-absent` event names, and which of the bookings it leaves active get one. */
interface AbsentEvent {
  absenceId: string;
  actorUserId: string;
  where: (b: { locationId: string; tutorId: string }) => boolean;
}

/**
 * The "schedule changed" use case: what closures, absences, new weekly rules and cancelled
 * partner claims do to booked residents. The locations, tutors and claims modules define what
 * they need (ClosureBookings, TutorScheduleBookings, ClaimBookings); this implements them, with
 * every read and write in BookingsRepository.
 */
@Injectable()
export class ScheduleChangedService implements ClosureBookings, TutorScheduleBookings, ClaimBookings {
  constructor(
    private readonly repo: BookingsRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Active bookings (confirmed, checked in) that have not ended and overlap [from, to), at the
   * location or of the tutor, by start. With `cancel`, the confirmed ones are cancelled first
   * (each with a `cancelled` event: the user, the reason, the cause; only those `cancel.only`
   * allows, when given) and listed as cancelled; checked-in ones are only listed. All in the
   * caller's transaction when `manager` is given.
   */
  async affectedBy(q: { locationId: string; from: Date; to: Date; cancel?: CascadeCancel; manager?: EntityManager }): Promise<AffectedBooking[]> {
    return (await this.cascade(q, () => true)).map(view);
  }

  /**
   * affectedBy for a tutor's absence (at every branch), each item with its branch. With
   * `absentEvent`, each booking left active that it selects gets a `tutor-absent` event.
   */
  async absenceAffects(q: { tutorId: string; from: Date; to: Date; cancel?: CascadeCancel; absentEvent?: AbsentEvent; manager?: EntityManager }): Promise<TutorBookingAt[]> {
    return (await this.cascade(q, () => true)).map(viewAt);
  }

  /** affectedBy at a location, for a change of opening hours: only bookings no longer inside `open`. */
  async outsideOpening(q: {
    locationId: string;
    from: Date;
    to: Date;
    open: readonly { start: number; end: number }[];
    cancel?: CascadeCancel;
    manager: EntityManager;
  }): Promise<AffectedBooking[]> {
    return (await this.cascade(q, (b) => !fitsOpening(q.open, b.start.getTime(), b.end.getTime()))).map(view);
  }

  /**
   * CLAIM_BOOKINGS: in the transaction that has just cancelled the claims, each claim's active
   * bookings that have not ended, the confirmed ones cancelled (event payload `{ cascade: { claimId } }`),
   * after the guard locks of the claims' branches (bookings being placed there commit first).
   */
  async claimsCancelled(q: { claimIds: readonly string[]; reason: string | null; actorUserId: string | null; manager: EntityManager }): Promise<AffectedBooking[]> {
    for (const location of await this.repo.locationsOfClaims(q.manager, q.claimIds)) await this.repo.guardExclusive(q.manager, { location });
    const out: TouchedBooking[] = [];
    for (const claimId of q.claimIds) {
      const cancel = { reason: q.reason, actorUserId: q.actorUserId, cause: { claimId } };
      out.push(...(await this.cascade({ claimIds: [claimId], from: this.clock.now(), to: END_OF_TIME, cancel, manager: q.manager, guarded: true }, () => true)));
    }
    return out.sort((a, b) => a.start.getTime() - b.start.getTime() || (a.id < b.id ? -1 : 1)).map(view);
  }

  /** The bookings the change overlaps that `strands` picks; cancelled and marked as affectedBy says. */
  private async cascade(
    q: {
      locationId?: string;
      tutorId?: string;
      claimIds?: readonly string[];
      from: Date;
      to: Date;
      cancel?: CascadeCancel;
      absentEvent?: AbsentEvent;
      manager?: EntityManager;
      /** The caller has taken the guard locks already. */
      guarded?: boolean;
    },
    strands: (b: TouchedBooking) => boolean,
  ): Promise<TouchedBooking[]> {
    const m = q.manager ?? this.repo.manager();
    if (q.manager && !q.guarded) await this.repo.guardExclusive(q.manager, q.locationId ? { location: q.locationId } : { tutor: q.tutorId! });
    const now = this.clock.now();
    const overlap: OverlapQuery = { locationId: q.locationId, tutorId: q.tutorId, claimIds: q.claimIds, from: q.from, to: q.to, now };
    let cancelled: string[] = [];
    if (q.cancel) {
      const cancel = q.cancel;
      const locked = new Set(await this.repo.lockConfirmedOverlapping(m, overlap));
      const chosen = (await this.repo.activeOverlapping(m, overlap, [])).filter((b) => locked.has(b.id) && strands(b) && (!cancel.only || cancel.only(b)));
      const rows = await this.repo.cancel(m, {
        ids: chosen.map((b) => b.id),
        now,
        actorType: cancel.actorUserId === null ? 'system' : 'user',
        actorUserId: cancel.actorUserId,
        reason: cancel.reason,
        payload: { cascade: cancel.cause },
      });
      cancelled = rows.map((r) => r.id);
    }
    const listed = (await this.repo.activeOverlapping(m, overlap, cancelled)).filter((b) => cancelled.includes(b.id) || strands(b));
    if (q.absentEvent) {
      const e = q.absentEvent;
      for (const b of listed.filter((x) => !cancelled.includes(x.id) && e.where(x))) {
        await this.repo.insertEvent(m, { bookingId: b.id, type: 'tutor-absent', at: now, actorType: 'user', actorUserId: e.actorUserId, reason: null, payload: { absenceId: e.absenceId } });
      }
    }
    return listed;
  }

  async affectedByTutorSpans(tutorId: string, spans: readonly { start: Date; end: Date }[]): Promise<TutorBookingAt[][]> {
    return (await this.repo.activeOfTutorInSpans(tutorId, spans, this.clock.now())).map((list) => list.map(viewAt));
  }

  /**
   * The tutor's active bookings at the location that have not started yet and no longer lie on
   * `rules` (the tutor's complete new rules there): see fitsRules. Read with the caller's manager
   * so it sees the rules it has just written.
   */
  async outsideRules(q: { tutorId: string; locationId: string; rules: readonly GridRule[]; manager: EntityManager }): Promise<AffectedBooking[]> {
    await this.repo.guardExclusive(q.manager, { tutor: q.tutorId });
    const rows = await this.repo.activeUpcomingAt(q.manager, q.tutorId, q.locationId, this.clock.now());
    return rows.filter((r) => !fitsRules(q.rules, r.timeZone, r.start.getTime(), r.end.getTime())).map(view);
  }
}

/** The item with the booking's branch, so the tutors module can tell branches apart (access rules). */
function viewAt(r: TouchedBooking): TutorBookingAt {
  return { ...view(r), locationId: r.locationId };
}

function view(r: TouchedBooking): AffectedBooking {
  return {
    id: r.id,
    reference: r.reference,
    start: formatInstant(r.start, r.timeZone),
    end: formatInstant(r.end, r.timeZone),
    status: r.status,
    tutorId: r.tutorId,
  };
}
