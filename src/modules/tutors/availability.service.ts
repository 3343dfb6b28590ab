import { Inject, Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { Principal } from '../../common/auth/principal';
import { assertIfMatch, etagOf } from '../../common/http/if-match';
import { ProblemException } from '../../common/problem/problem.exception';
import { TutorBooking, TUTOR_SCHEDULE_BOOKINGS, TutorScheduleBookings } from './tutor-schedule-bookings.port';
import { compareRules, findOverlap, Overlap, RuleView, rulesTag, toRuleView, toWeeklyRules, WeeklyRule } from './availability-rules';
import { AvailabilityDto } from './dto/availability.dto';
import { canEditRulesAt } from '../../common/access/tutor-access';
import { TutorsRepository } from './tutors.repository';
import { TutorsService } from './tutors.service';

export interface AvailabilityResult {
  rules: RuleView[];
  /** ETag of exactly these rules' content. */
  etag: string;
}

export interface ReplacedAvailability extends AvailabilityResult {
  /** Bookings at this branch, not started yet, that the new rules no longer cover. */
  affectedBookings: TutorBooking[];
}

const OVERLAP_CONSTRAINT = 'availability_rules_no_overlap';

@Injectable()
export class AvailabilityService {
  constructor(
    private readonly tutors: TutorsService,
    private readonly repo: TutorsRepository,
    @Inject(TUTOR_SCHEDULE_BOOKINGS) private readonly affected: TutorScheduleBookings,
  ) {}

  /** The tutor's rules at every branch, or at `locationId` only. */
  async get(caller: Principal, tutorId: string, locationId?: string): Promise<AvailabilityResult> {
    const tutor = await this.tutors.findVisible(caller, tutorId);
    if (locationId) await this.assertTutorLocation(tutor.locationIds, locationId);
    const all = await this.repo.rulesOf(tutorId);
    return result(locationId ? all.filter((r) => r.locationId === locationId) : all);
  }

  /**
   * Replaces the tutor's rules at one branch. If-Match may name the ETag of that branch's rules
   * or of all the tutor's rules. PUTs of one tutor take turns (the tutor row's lock), so the overlap
   * pre-check sees the other branch's committed rules and names the clashing rule; the exclusion
   * constraint remains the guard.
   *
   * Bookings are never changed here: the answer lists the tutor's bookings at this branch that
   * have not started and no longer lie on the new rules, for the staff to move or cancel.
   */
  async replace(caller: Principal, tutorId: string, locationId: string, dto: AvailabilityDto, ifMatch?: string): Promise<ReplacedAvailability> {
    const tutor = await this.tutors.findVisible(caller, tutorId);
    await this.assertTutorLocation(tutor.locationIds, locationId);
    if (!canEditRulesAt(caller, locationId)) {
      throw new ProblemException('forbidden', "Only the branch's own staff change the tutor's rules there.");
    }
    const inputs = dto.rules.map((r) => ({ ...r, bufferMinutes: r.bufferMinutes ?? 0, validUntil: r.validUntil ?? null }));
    const { rules, errors } = toWeeklyRules(locationId, inputs);
    if (errors.length) throw new ProblemException('validation-failed', 'Some rules are invalid.', errors);
    let affectedBookings: TutorBooking[] = [];
    try {
      await this.repo.transaction(async (m) => {
        // PUTs of one tutor take turns: two transactions inserting clashing rules at once would
        // each wait for the other in the exclusion check, and one would die as a deadlock (40P01,
        // a 500) instead of meeting the overlap. FOR NO KEY UPDATE leaves foreign-key checks alone.
        await this.repo.lockTutor(m, tutorId);
        if (!(await this.repo.lockMembership(m, tutorId, locationId))) throw notTutorLocation();
        const existing = await this.repo.rulesOf(tutorId, m);
        const here = existing.filter((r) => r.locationId === locationId);
        // Naming the ETag of all the tutor's rules is as good as naming this branch's.
        if (!namesTag(ifMatch, rulesTag(existing))) assertIfMatch(ifMatch, rulesTag(here));
        const overlap = findOverlap(rules, existing.filter((r) => r.locationId !== locationId));
        if (overlap) throw overlapProblem(overlap, locationId);
        await this.repo.replaceRules(m, tutorId, locationId, rules);
        affectedBookings = await this.affected.outsideRules({ tutorId, locationId, rules, manager: m });
      });
    } catch (error) {
      if (!isOverlapViolation(error)) throw error;
      // A concurrent PUT at another branch stored a clashing rule first: name it if we can.
      const others = (await this.repo.rulesOf(tutorId)).filter((r) => r.locationId !== locationId);
      throw overlapProblem(findOverlap(rules, others), locationId);
    }
    return { ...result(rules), affectedBookings };
  }

  private async assertTutorLocation(tutorLocations: string[], locationId: string): Promise<void> {
    if (tutorLocations.includes(locationId)) return;
    await this.tutors.assertLocationsExist([locationId], 'locationId');
    throw notTutorLocation();
  }
}

function result(rules: WeeklyRule[]): AvailabilityResult {
  const sorted = [...rules].sort(compareRules);
  return { rules: sorted.map(toRuleView), etag: etagOf(rulesTag(sorted)) };
}

function namesTag(ifMatch: string | undefined, tag: string): boolean {
  return ifMatch !== undefined && ifMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etagOf(tag));
}

function notTutorLocation(): ProblemException {
  return ProblemException.validation('locationId', 'not-a-tutor-location', 'The tutor does not work at this location; add it to locationIds first.');
}

function overlapProblem(overlap: Overlap | undefined, locationId: string): ProblemException {
  const where = overlap && overlap.clashing.locationId !== locationId ? ' at another location' : '';
  const message = overlap
    ? `Rule #${overlap.index + 1} overlaps another rule of this tutor${where}.`
    : "The rules overlap another of the tutor's rules.";
  return new ProblemException(
    'rule-overlap',
    message,
    overlap ? [{ field: `rules.${overlap.index}`, code: 'rule-overlap', message }] : undefined,
    undefined,
    overlap ? { clashingRule: toRuleView(overlap.clashing) } : undefined,
  );
}

function isOverlapViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driver = error.driverError as { code?: string; constraint?: string } | undefined;
  return driver?.code === '23P01' && driver.constraint === OVERLAP_CONSTRAINT;
}
