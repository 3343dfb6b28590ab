import { Inject, Injectable } from '@nestjs/common';
import { maySeeClosureBookings } from '../../common/access/location-access';
import { Principal } from '../../common/auth/principal';
import { assertIfMatch, etagOf } from '../../common/http/if-match';
import { decodeCursor, Page, toPage } from '../../common/http/pagination';
import { FieldError, ProblemException } from '../../common/problem/problem.exception';
import { formatInstant } from '../../common/time/format';
import { Clock } from '../../common/time/clock';
import { AffectedBooking, CLOSURE_BOOKINGS, ClosureBookings } from './closure-bookings.port';
import { contentTag } from './content-etag';
import type { ClosureCreatedView, ClosureListQuery, ClosureView, CreateClosureDto, CreateRoomDto, ExceptionListQuery, RoomView } from './dto/schedule.dto';
import { ClosureRow, ExceptionRow, LocationRow, LocationsRepository, RoomRow } from './locations.repository';
import { LocationsService } from './locations.service';
import { parseException, parseWeeklyHours, toClockPairs, weeklyHoursView } from './opening-hours/hours-input';
import { parseInstantMs } from '../../common/time/instant';
import { parseRangeBound } from '../tutors/instants';
import { isLocalDate, localDayToInstants } from './opening-hours/wall-time';
import { DAY_MS } from '../../common/time/local-time';
import { EntityManager, QueryFailedError } from 'typeorm';

/** Upper bound of "every booking from now on" for a change without an end. */
const END_OF_TIME = new Date('9999-12-31T00:00:00Z');

/**
 * How far ahead a change of weekly hours looks for stranded bookings: a branch takes bookings at
 * most 730 days ahead (policy maxDaysAhead).
 */
const BOOKING_HORIZON_DAYS = 731;

/** `cancelAffected: true` in a schedule body (the body is checked field by field elsewhere). */
function cancelAffectedIn(input: unknown): boolean {
  return typeof input === 'object' && input !== null && (input as { cancelAffected?: unknown }).cancelAffected === true;
}

/** A body plus the ETag of its content. */
export interface Tagged<T> {
  body: T;
  etag: string;
}

export interface ExceptionView {
  date: string;
  hours: [string, string][];
  reason: { fi: string; sv: string; en: string } | string | null;
}

const isClosureCursor = (v: unknown): v is [string, string] =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && !Number.isNaN(Date.parse(v[0])) && typeof v[1] === 'string' && /^[0-9a-f-]{36}$/i.test(v[1]);
const isDateCursor = (v: unknown): v is string => isLocalDate(v);

function validationFailed(errors: FieldError[]): ProblemException {
  return new ProblemException('validation-failed', 'Some fields are missing or invalid.', errors);
}

function assertDateParam(date: string): void {
  if (!isLocalDate(date)) throw ProblemException.validation('date', 'invalid-date', 'The date is YYYY-MM-DD and must exist.');
}

/** Weekly hours, per-date exceptions, closures and rooms of a location. */
@Injectable()
export class ScheduleService {
  constructor(
    private readonly repo: LocationsRepository,
    private readonly locations: LocationsService,
    @Inject(CLOSURE_BOOKINGS) private readonly affected: ClosureBookings,
    private readonly clock: Clock,
  ) {}

  // ---- taking the branch out of use ----

  /**
   * DELETE /locations/{id}: deactivates the branch and answers the active bookings there that
   * have not ended; `cancelAffected` cancels the confirmed ones, as a closure does (also when the
   * branch was already out of use).
   */
  async removeLocation(caller: Principal, id: string, opts: { ifMatch?: string; cancelAffected?: boolean }): Promise<{ affectedBookings: AffectedBooking[] }> {
    return this.repo.transaction(async (m) => {
      await this.locations.deactivate(m, caller, id, opts.ifMatch);
      const affectedBookings = await this.affected.affectedBy({
        locationId: id,
        from: this.clock.now(),
        to: END_OF_TIME,
        cancel: opts.cancelAffected ? { reason: null, actorUserId: caller.id, cause: { deactivatedLocationId: id } } : undefined,
        manager: m,
      });
      return { affectedBookings };
    });
  }

  // ---- weekly hours ----

  async weeklyHours(id: string): Promise<Tagged<ReturnType<typeof weeklyHoursView>>> {
    await this.locations.find(id);
    const body = weeklyHoursView((await this.repo.periods([id])).get(id) ?? []);
    return { body, etag: etagOf(contentTag(body)) };
  }

  /**
   * Replaces the weekly hours and answers the active bookings the new hours no longer cover (not
   * inside the resolved opening hours any more); `cancelAffected` in the body cancels the
   * confirmed ones, as a closure does. The ETag is of the hours alone.
   */
  async replaceWeeklyHours(
    caller: Principal,
    id: string,
    input: unknown,
    ifMatch?: string,
  ): Promise<Tagged<ReturnType<typeof weeklyHoursView> & { affectedBookings: AffectedBooking[] }>> {
    await this.locations.findEditable(caller, id);
    const { periods, errors } = parseWeeklyHours(input);
    if (errors.length) throw validationFailed(errors);
    const [hours, affectedBookings] = await this.repo.transaction(async (m) => {
      // The row lock serialises writers of this location's hours, so If-Match is checked
      // against what is really there.
      const row = (await this.repo.findById(id, m, true))!;
      const current = weeklyHoursView((await this.repo.periods([id], undefined, undefined, m)).get(id) ?? []);
      assertIfMatch(ifMatch, contentTag(current));
      await this.repo.replacePeriods(m, id, periods);
      const now = this.clock.now();
      const until = new Date(now.getTime() + BOOKING_HORIZON_DAYS * DAY_MS);
      const stranded = await this.stranded(m, row, now, until, cancelAffectedIn(input), { weeklyHoursOf: id }, caller);
      return [weeklyHoursView((await this.repo.periods([id], undefined, undefined, m)).get(id) ?? []), stranded] as const;
    });
    return { body: { ...hours, affectedBookings }, etag: etagOf(contentTag(hours)) };
  }

  /**
   * In the transaction that has just changed the location's hours: the active bookings in
   * [from, to) no longer inside its opening hours, cancelled when asked (as closures do, after
   * the guard lock: bookings being decided there commit first, later ones see the change).
   */
  private async stranded(m: EntityManager, row: LocationRow, from: Date, to: Date, cancel: boolean, cause: Record<string, string>, caller: Principal): Promise<AffectedBooking[]> {
    const open = await this.locations.openIntervalsIn(m, row, from, to);
    return this.affected.outsideOpening({
      locationId: row.id,
      from,
      to,
      open,
      cancel: cancel ? { reason: null, actorUserId: caller.id, cause } : undefined,
      manager: m,
    });
  }

  // ---- exceptions ----

  async listExceptions(id: string, query: ExceptionListQuery): Promise<Page<ExceptionView>> {
    await this.locations.find(id);
    const errors: FieldError[] = [];
    if (query.from !== undefined && !isLocalDate(query.from)) errors.push({ field: 'from', code: 'invalid-date', message: 'from is a date YYYY-MM-DD.' });
    if (query.to !== undefined && !isLocalDate(query.to)) errors.push({ field: 'to', code: 'invalid-date', message: 'to is a date YYYY-MM-DD.' });
    if (errors.length) throw validationFailed(errors);
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, isDateCursor) : undefined;
    const rows = await this.repo.exceptions([id], query.from ?? null, query.to ?? null, after, limit + 1);
    return toPage(rows.map(exceptionView), limit, (last) => last.date);
  }

  async getException(id: string, date: string): Promise<Tagged<ExceptionView>> {
    await this.locations.find(id);
    assertDateParam(date);
    const [row] = await this.repo.exceptions([id], date, date);
    if (!row) throw ProblemException.notFound('exception');
    const body = exceptionView(row);
    return { body, etag: etagOf(contentTag(body)) };
  }

  /** Sets a date's hours; answers (and with `cancelAffected` cancels) the bookings that day the new hours no longer cover. */
  async putException(caller: Principal, id: string, date: string, input: unknown, ifMatch?: string): Promise<Tagged<ExceptionView & { affectedBookings: AffectedBooking[] }>> {
    await this.locations.findEditable(caller, id);
    assertDateParam(date);
    const { exception, errors } = parseException(date, input);
    if (errors.length) throw validationFailed(errors);
    const body: ExceptionView = { date, hours: toClockPairs(exception.hours), reason: exception.reason };
    const affectedBookings = await this.repo.transaction(async (m) => {
      const location = (await this.repo.findById(id, m, true))!;
      await this.assertExceptionIfMatch(id, date, ifMatch, m);
      await this.repo.upsertException(m, id, body);
      return this.strandedOn(m, location, date, cancelAffectedIn(input), caller);
    });
    return { body: { ...body, affectedBookings }, etag: etagOf(contentTag(body)) };
  }

  /** Removes a date's exception (its hours fall back to weekly hours and holidays); answers as putException does. */
  async deleteException(caller: Principal, id: string, date: string, opts: { ifMatch?: string; cancelAffected?: boolean }): Promise<{ affectedBookings: AffectedBooking[] }> {
    await this.locations.findEditable(caller, id);
    assertDateParam(date);
    const affectedBookings = await this.repo.transaction(async (m) => {
      const location = (await this.repo.findById(id, m, true))!;
      const [row] = await this.repo.exceptions([id], date, date, undefined, undefined, m);
      if (!row) throw ProblemException.notFound('exception');
      assertIfMatch(opts.ifMatch, contentTag(exceptionView(row)));
      await this.repo.deleteException(m, id, date);
      return this.strandedOn(m, location, date, opts.cancelAffected ?? false, caller);
    });
    return { affectedBookings };
  }

  /** stranded over one local date of the location. */
  private strandedOn(m: EntityManager, location: LocationRow, date: string, cancel: boolean, caller: Principal): Promise<AffectedBooking[]> {
    const [day] = localDayToInstants(date, [[0, 1440]], location.timezone);
    return this.stranded(m, location, new Date(day.start), new Date(day.end), cancel, { exceptionOf: location.id, date }, caller);
  }

  private async assertExceptionIfMatch(id: string, date: string, ifMatch: string | undefined, m: Parameters<LocationsRepository['upsertException']>[0]) {
    if (ifMatch === undefined || ifMatch.trim() === '') return;
    const [row] = await this.repo.exceptions([id], date, date, undefined, undefined, m);
    if (!row) {
      // Nothing to match (RFC 9110: If-Match fails when there is no current representation).
      throw new ProblemException('version-mismatch', 'There is no exception on this date any more.');
    }
    assertIfMatch(ifMatch, contentTag(exceptionView(row)));
  }

  // ---- closures ----

  async listClosures(id: string, query: ClosureListQuery): Promise<Page<ClosureView>> {
    const location = await this.locations.find(id);
    const errors: FieldError[] = [];
    const from = query.from === undefined ? null : (parseRangeBound(query.from, 'from', location.timezone)?.getTime() ?? null);
    const to = query.to === undefined ? null : (parseRangeBound(query.to, 'to', location.timezone)?.getTime() ?? null);
    if (query.from !== undefined && from === null) errors.push(rangeBoundError('from'));
    if (query.to !== undefined && to === null) errors.push(rangeBoundError('to'));
    if (errors.length) throw validationFailed(errors);
    if (from !== null && to !== null && to <= from) throw ProblemException.validation('to', 'end-before-start', 'to must be after from.');
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, isClosureCursor) : undefined;
    const rows = await this.repo.closures(
      [id],
      from === null ? null : new Date(from),
      to === null ? null : new Date(to),
      after ? { start: new Date(after[0]), id: after[1] } : undefined,
      limit + 1,
    );
    return toPage(
      rows.map((r) => closureView(r, location.timezone)),
      limit,
      (last) => [rows.find((r) => r.id === last.id)!.start.toISOString(), last.id],
    );
  }

  /**
   * A closure (public). Staff of the branch and admins also get `affectedBookings`: the active
   * bookings it still covers that have not ended (cancelled ones are no longer listed).
   */
  async getClosure(caller: Principal | undefined, id: string, closureId: string): Promise<ClosureView | ClosureCreatedView> {
    const location = await this.locations.find(id);
    const row = await this.repo.findClosure(id, closureId);
    if (!row) throw ProblemException.notFound('closure');
    if (!maySeeClosureBookings(caller, id)) return closureView(row, location.timezone);
    const affectedBookings = await this.affected.affectedBy({ locationId: id, from: row.start, to: row.end });
    return { ...closureView(row, location.timezone), affectedBookings };
  }

  async createClosure(caller: Principal, id: string, dto: CreateClosureDto): Promise<ClosureCreatedView> {
    const location = await this.locations.findEditable(caller, id);
    const start = parseInstantMs(dto.start);
    const end = parseInstantMs(dto.end);
    const errors: FieldError[] = [];
    if (start === null) errors.push(instantError('start'));
    if (end === null) errors.push(instantError('end'));
    if (start !== null && end !== null && end <= start) errors.push({ field: 'end', code: 'end-before-start', message: 'end must be after start.' });
    if (errors.length) throw validationFailed(errors);
    // One transaction: the closure, and (with cancelAffected) the cancelled bookings and their
    // events, are stored together or not at all.
    return this.repo.transaction(async (m) => {
      const reason = dto.reason ?? null;
      const closureId = await this.repo.insertClosure(id, new Date(start!), new Date(end!), reason, caller.id, m);
      const affectedBookings = await this.affected.affectedBy({
        locationId: id,
        from: new Date(start!),
        to: new Date(end!),
        cancel: dto.cancelAffected ? { reason, actorUserId: caller.id, cause: { closureId } } : undefined,
        manager: m,
      });
      const row = await this.repo.findClosure(id, closureId, m);
      return { ...closureView(row!, location.timezone), affectedBookings };
    });
  }

  async deleteClosure(caller: Principal, id: string, closureId: string): Promise<void> {
    await this.locations.findEditable(caller, id);
    if (!(await this.repo.deleteClosure(id, closureId))) throw ProblemException.notFound('closure');
  }

  // ---- rooms ----

  async rooms(id: string): Promise<Page<RoomView>> {
    await this.locations.find(id);
    return { items: (await this.repo.rooms(id)).map(roomView), nextCursor: null };
  }

  async room(id: string, roomId: string): Promise<RoomView> {
    await this.locations.find(id);
    const row = await this.repo.findRoom(id, roomId);
    if (!row) throw ProblemException.notFound('room');
    return roomView(row);
  }

  async createRoom(caller: Principal, id: string, dto: CreateRoomDto): Promise<RoomView> {
    await this.locations.findEditable(caller, id);
    // The unique index (location, lower(name)) is the guard; this gives the field name.
    if (await this.repo.roomNameTaken(id, dto.name)) {
      throw new ProblemException('already-exists', 'This location has a room of that name.', [{ field: 'name', code: 'already-exists', message: 'This location has a room of that name.' }]);
    }
    return roomView(await this.repo.insertRoom(id, dto.name, dto.capacity));
  }

  /**
   * A room partner claims name (of any status: they are the branch's history) stays: 409
   * room-taken, rather than the foreign key's failure.
   */
  async deleteRoom(caller: Principal, id: string, roomId: string): Promise<void> {
    await this.locations.findEditable(caller, id);
    let deleted: boolean;
    try {
      deleted = await this.repo.deleteRoom(id, roomId);
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === '23503') {
        throw new ProblemException('room-taken', 'Partner claims name this room, so it cannot be removed.');
      }
      throw error;
    }
    if (!deleted) throw ProblemException.notFound('room');
  }
}

function rangeBoundError(field: string): FieldError {
  return { field, code: 'invalid-date', message: `${field} is a date YYYY-MM-DD or an instant with an offset (Z or +02:00).` };
}

function instantError(field: string): FieldError {
  return { field, code: 'invalid-instant', message: `${field} is an ISO 8601 instant with an offset (Z or +02:00).` };
}

function exceptionView(r: ExceptionRow): ExceptionView {
  return { date: r.date, hours: r.hours, reason: r.reason };
}

export function closureView(r: ClosureRow, timeZone: string): ClosureView {
  return { id: r.id, locationId: r.location_id, start: formatInstant(r.start, timeZone), end: formatInstant(r.end, timeZone), reason: r.reason };
}

function roomView(r: RoomRow): RoomView {
  return { id: r.id, locationId: r.location_id, name: r.name, capacity: r.capacity };
}
