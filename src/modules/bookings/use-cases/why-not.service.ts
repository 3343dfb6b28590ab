import { Injectable } from '@nestjs/common';
import { ProblemException } from '../../../common/problem/problem.exception';
import { ProblemCode } from '../../../common/problem/problem-types';
import { Clock } from '../../../common/time/clock';
import { formatLocalDate } from '../../../common/time/format';
import { DAY_MS, parseIsoDate, startOfLocalDay } from '../../../common/time/local-time';
import { LocationsService, LocationSummary } from '../../locations/locations.service';
import { BookableSlotsService } from '../../slots/bookable-slots.service';
import { TutorsService } from '../../tutors/tutors.service';
import { BookingsRepository } from '../bookings.repository';
import { diagnose, Diagnosis, isClosedDay, RuleProblem } from '../rules/booking-rules';

/** What a booking or a move asked for: the filter of its slot check and of its diagnosis. */
export interface SlotFilter {
  /** An advisory booking's claim. */
  claimId?: string;
  tutorIds?: string[];
  topic: string;
  language: string;
  excludeBookingId?: string;
  ignoreNotice?: boolean;
}

const RULE_DETAILS: Record<RuleProblem, string> = {
  'too-soon': 'The start is in the past or closer than the library’s minimum notice.',
  'too-far-ahead': 'The start is further ahead than the library takes bookings.',
  'location-closed': 'The library is closed at this time (holiday or closure).',
  'outside-opening-hours': 'The library is not open for the whole session at this time.',
  'not-on-slot-grid': 'Sessions start only at the times listed in GET /slots.',
  'tutor-unavailable': 'No suitable tutor works at this time, or the tutor is away.',
};

/** The 409 of a time someone else took: `slot-taken` for a named tutor, else `no-tutor-available`. */
export function takenProblem(tutorIds: string[] | undefined): ProblemException {
  const code: ProblemCode = tutorIds ? 'slot-taken' : 'no-tutor-available';
  return new ProblemException(code, tutorIds ? 'Someone else booked this time first.' : 'No suitable tutor is free at this time.');
}

/**
 * Why no free slot starts at a time: the pure `diagnose` on its inputs, read after the booking's
 * transaction has ended (outside it), from the slot search snapshot and one statement, or from
 * the database when the snapshot lacks the branch or is old.
 */
@Injectable()
export class WhyNotService {
  constructor(
    private readonly repo: BookingsRepository,
    private readonly clock: Clock,
    private readonly locations: LocationsService,
    private readonly tutors: TutorsService,
    private readonly bookable: BookableSlotsService,
  ) {}

  /** The problem to answer with. */
  async problem(place: LocationSummary, start: Date, f: SlotFilter): Promise<ProblemException> {
    const from = new Date(start.getTime() - DAY_MS);
    const to = new Date(start.getTime() + DAY_MS);
    const inputs =
      (await this.bookable.diagnosisInputs({ locationId: place.id, claimId: f.claimId, tutorIds: f.tutorIds, topic: f.topic, language: f.language, from, to, excludeBookingId: f.excludeBookingId })) ??
      (await this.inputsFromDatabase(place, from, to, f));
    const verdict: Diagnosis = diagnose({
      start: start.getTime(),
      now: this.clock.now().getTime(),
      timeZone: place.timezone,
      policy: { minNoticeMinutes: f.ignoreNotice ? 0 : place.policy.minNoticeMinutes, maxDaysAhead: place.policy.maxDaysAhead },
      rules: inputs.rules,
      windows: inputs.windows,
      openings: inputs.openings,
      closed: [
        ...inputs.days.filter(isClosedDay).map((d) => {
          const day = parseIsoDate(d.date)!;
          return { start: startOfLocalDay(place.timezone, day), end: startOfLocalDay(place.timezone, day + 1) };
        }),
        // A closure of part of a day leaves the day its other hours: its own span says closed.
        ...inputs.closures,
      ],
      absences: inputs.absences,
      bookings: inputs.bookings,
    });
    if (verdict === 'taken' || verdict === 'free') return takenProblem(f.tutorIds);
    return new ProblemException(verdict, RULE_DETAILS[verdict]);
  }

  /**
   * An advisory booking the booking statement refused for its claim: 422 `claim-not-bookable`, or
   * 422 naming claimId when no claim has that id.
   */
  async claimProblem(claimId: string): Promise<ProblemException> {
    if (!(await this.repo.claimExists(claimId))) return ProblemException.validation('claimId', 'unknown-claim', 'No claim has this id.');
    return new ProblemException('claim-not-bookable', 'This claim is not approved or not bookable, or holds no session at this time.');
  }

  /** The inputs read from the database (a branch the snapshot does not hold, or an old snapshot). */
  private async inputsFromDatabase(place: LocationSummary, from: Date, to: Date, f: SlotFilter) {
    const tutors = await this.tutors.loadForSearch({ locationIds: [place.id], tutorIds: f.tutorIds, topic: f.topic, language: f.language, kinds: ['staff', 'volunteer'] });
    const ids = tutors.map((t) => t.id);
    const [open, absences, bookings, days, closures] = await Promise.all([
      this.locations.openIntervals([place.id], from, to),
      this.tutors.absencesOverlapping(ids, from, to),
      this.repo.activeBookingsOf(ids, from, to, f.excludeBookingId ?? null),
      this.locations.resolvedDays(place.id, { from: formatLocalDate(from, place.timezone), to: formatLocalDate(to, place.timezone) }),
      this.locations.closureSpans(place.id, from, to),
    ]);
    return {
      // Advisory bookings are judged from the snapshot, which holds every approved bookable claim.
      rules: f.claimId ? [] : tutors.flatMap((t) => t.locations.find((l) => l.locationId === place.id)?.rules ?? []),
      windows: [],
      openings: open.get(place.id) ?? [],
      days,
      closures,
      absences,
      bookings,
    };
  }
}
