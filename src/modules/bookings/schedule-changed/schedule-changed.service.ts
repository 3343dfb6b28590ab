import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../../common/time/clock';
import { formatInstant } from '../../../common/time/format';
import type { AffectedBooking, ClosureBookings } from '../../locations/closure-bookings.port';
import type { TutorScheduleBookings } from '../../tutors/tutor-schedule-bookings.port';
import { BookingsRepository, OverlapQuery, TouchedBooking } from '../bookings.repository';
import { fitsRules, GridRule } from '../rules/fits-rules';

/** Why bookings are cancelled by a cascade (a closure or an absence), recorded on each `cancelled` event. */
interface CascadeCancel {
  reason: string | null;
  /** The staff user whose closure or absence it is. */
  actorUserId: string;
  /** What caused it, e.g. `{ closureId }` or `{ absenceId }` (event payload). */
  cause: Record<string, string>;
}

/**
 * The "schedule changed" use case: what closures, absences and new weekly rules do to booked
 * residents. The locations and tutors modules define what they need (ClosureBookings,
 * TutorScheduleBookings); this implements both, with every read and write in BookingsRepository.
 */
@Injectable()
export class ScheduleChangedService implements ClosureBookings, TutorScheduleBookings {
  constructor(
    private readonly db: DataSource,
    private readonly repo: BookingsRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Active bookings (confirmed, checked in) that have not ended and overlap [from, to), at the
   * location or of the tutor, by start. With `cancel`, the confirmed ones are cancelled first
   * (each with a `cancelled` event: the user, the reason, the cause) and listed as cancelled;
   * checked-in ones are only listed. All in the caller's transaction when `manager` is given.
   */
  async affectedBy(q: { locationId?: string; tutorId?: string; from: Date; to: Date; cancel?: CascadeCancel; manager?: EntityManager }): Promise<AffectedBooking[]> {
    const m = q.manager ?? this.db.manager;
    if (q.manager) await this.repo.guardExclusive(q.manager, q.locationId ? { location: q.locationId } : { tutor: q.tutorId! });
    const now = this.clock.now();
    const overlap: OverlapQuery = { locationId: q.locationId, tutorId: q.tutorId, from: q.from, to: q.to, now };
    let cancelled: string[] = [];
    if (q.cancel) {
      const locked = await this.repo.lockConfirmedOverlapping(m, overlap);
      const rows = await this.repo.cancel(m, {
        ids: locked,
        now,
        actorType: 'user',
        actorUserId: q.cancel.actorUserId,
        reason: q.cancel.reason,
        payload: { cascade: q.cancel.cause },
      });
      cancelled = rows.map((r) => r.id);
    }
    return (await this.repo.activeOverlapping(m, overlap, cancelled)).map(view);
  }

  async affectedByTutorSpans(tutorId: string, spans: readonly { start: Date; end: Date }[]): Promise<AffectedBooking[][]> {
    return (await this.repo.activeOfTutorInSpans(tutorId, spans, this.clock.now())).map((list) => list.map(view));
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
