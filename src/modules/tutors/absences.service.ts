import { Inject, Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { decodeCursor, Page, toPage } from '../../common/http/pagination';
import { ProblemException } from '../../common/problem/problem.exception';
import { formatInstant } from '../../common/time/format';
import { TutorBooking, TutorBookingAt, TUTOR_SCHEDULE_BOOKINGS, TutorScheduleBookings } from './tutor-schedule-bookings.port';
import { mayActInCascade, splitBySight } from '../../common/access/booking-access';
import { AbsenceListQuery, AbsenceView, CreateAbsenceDto } from './dto/absence.dto';
import { parseInstant } from '../../common/time/instant';
import { longerThanDays, MAX_RANGE_DAYS, parseRangeBound } from './instants';
import { canManageTutor } from '../../common/access/tutor-access';
import { AbsenceRecord, TutorRecord, TutorsRepository } from './tutors.repository';
import { TutorsService } from './tutors.service';

type AbsenceCursor = [string, string];
const isAbsenceCursor = (v: unknown): v is AbsenceCursor =>
  Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string') && !Number.isNaN(Date.parse(v[0] as string));

@Injectable()
export class AbsencesService {
  constructor(
    private readonly tutors: TutorsService,
    private readonly repo: TutorsRepository,
    @Inject(TUTOR_SCHEDULE_BOOKINGS) private readonly affected: TutorScheduleBookings,
  ) {}

  /**
   * Instants are written in the zone of the tutor's (first) branch; `affectedBookings` are the
   * tutor's active bookings inside the absence that have not ended and that the caller may see,
   * each in its branch's offset; `otherBranches` counts the rest by branch.
   */
  static view(caller: Principal, a: AbsenceRecord, zone: string, affected: TutorBookingAt[]): AbsenceView {
    const { visible, otherBranches } = splitBySight(caller, affected);
    return {
      id: a.id,
      tutorId: a.tutorId,
      start: formatInstant(a.startsAt, zone),
      end: formatInstant(a.endsAt, zone),
      reason: a.reason,
      affectedBookings: visible.map(({ locationId: _, ...item }): TutorBooking => item),
      otherBranches,
    };
  }

  async list(caller: Principal, tutorId: string, q: AbsenceListQuery): Promise<Page<AbsenceView>> {
    const tutor = await this.tutors.findVisible(caller, tutorId);
    const limit = q.limit ?? 50;
    const from = q.from === undefined ? undefined : parseRangeBound(q.from, 'from', tutor.timezone);
    const to = q.to === undefined ? undefined : parseRangeBound(q.to, 'to', tutor.timezone);
    if (q.from !== undefined && !from) throw ProblemException.validation('from', 'invalid-date', 'from is a date YYYY-MM-DD or an instant with an offset.');
    if (q.to !== undefined && !to) throw ProblemException.validation('to', 'invalid-date', 'to is a date YYYY-MM-DD or an instant with an offset.');
    if (from && to && to <= from) throw ProblemException.validation('to', 'end-before-start', 'to must be after from.');
    if (from && to && longerThanDays(from, to)) {
      throw new ProblemException('range-too-long', `A range may span at most ${MAX_RANGE_DAYS} days.`, [
        { field: 'to', code: 'range-too-long', message: `At most ${MAX_RANGE_DAYS} days after from.` },
      ]);
    }
    const after = q.cursor ? decodeCursor(q.cursor, isAbsenceCursor) : undefined;
    const rows = await this.repo.absences(tutorId, { from, to }, after, limit + 1);
    const page = toPage(rows, limit, (last) => [last.startsAt.toISOString(), last.id]);
    const affected = await this.affected.affectedByTutorSpans(tutorId, page.items.map((a) => ({ start: a.startsAt, end: a.endsAt })));
    return { items: page.items.map((a, i) => AbsencesService.view(caller, a, tutor.timezone, affected[i])), nextCursor: page.nextCursor };
  }

  async get(caller: Principal, tutorId: string, absenceId: string): Promise<AbsenceView> {
    const tutor = await this.tutors.findVisible(caller, tutorId);
    const absence = await this.repo.absence(tutorId, absenceId);
    if (!absence) throw ProblemException.notFound('absence');
    const affected = await this.affected.absenceAffects({ tutorId, from: absence.startsAt, to: absence.endsAt });
    return AbsencesService.view(caller, absence, tutor.timezone, affected);
  }

  async create(caller: Principal, tutorId: string, dto: CreateAbsenceDto): Promise<AbsenceView> {
    const tutor = await this.manageable(caller, tutorId);
    const start = parseInstant(dto.start);
    const end = parseInstant(dto.end);
    if (!start) throw ProblemException.validation('start', 'invalid-instant', 'start is an instant with an offset.');
    if (!end) throw ProblemException.validation('end', 'invalid-instant', 'end is an instant with an offset.');
    if (end <= start) throw ProblemException.validation('end', 'end-before-start', 'end must be after start.');
    if (longerThanDays(start, end)) {
      throw new ProblemException('range-too-long', `An absence may last at most ${MAX_RANGE_DAYS} days.`, [
        { field: 'end', code: 'range-too-long', message: `At most ${MAX_RANGE_DAYS} days after start.` },
      ]);
    }
    // One transaction: the absence, (with cancelAffected) the cancelled bookings the caller may
    // see and their events, and the `tutor-absent` events at the other branches are stored
    // together or not at all.
    return this.repo.transaction(async (m) => {
      const reason = dto.reason || null;
      const saved = await this.repo.insertAbsence({ tutorId, startsAt: start, endsAt: end, reason, createdBy: caller.id }, m);
      const callers = (b: { locationId: string; tutorId: string }) => mayActInCascade(caller, b);
      const affected = await this.affected.absenceAffects({
        tutorId,
        from: start,
        to: end,
        cancel: dto.cancelAffected ? { reason, actorUserId: caller.id, cause: { absenceId: saved.id }, only: callers } : undefined,
        absentEvent: { absenceId: saved.id, actorUserId: caller.id, where: (b) => !callers(b) },
        manager: m,
      });
      return AbsencesService.view(caller, saved, tutor.timezone, affected);
    });
  }

  async remove(caller: Principal, tutorId: string, absenceId: string): Promise<void> {
    await this.manageable(caller, tutorId);
    if (!(await this.repo.deleteAbsence(tutorId, absenceId))) throw ProblemException.notFound('absence');
  }

  /** 404 when the caller cannot see the tutor; 403 when they see it but may not change it. */
  private async manageable(caller: Principal, tutorId: string): Promise<TutorRecord> {
    const tutor = await this.tutors.findVisible(caller, tutorId);
    if (!canManageTutor(caller, tutor)) throw new ProblemException('forbidden', "Only admins and staff of the tutor's branches record absences.");
    return tutor;
  }
}
