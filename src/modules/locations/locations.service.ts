import { Injectable } from '@nestjs/common';
import { assertMayAdministerLocations, assertMayEditLocation } from '../../common/access/location-access';
import { Principal } from '../../common/auth/principal';
import { assertIfMatch } from '../../common/http/if-match';
import { decodeCursor, Page, toPage } from '../../common/http/pagination';
import { FieldError, ProblemException } from '../../common/problem/problem.exception';
import { formatInstant, formatLocalDate } from '../../common/time/format';
import { DAY_MS, EARLIEST_ZONE, formatIsoDate, isValidTimeZone, LATEST_ZONE, parseIsoDate, startOfLocalDay } from '../../common/time/local-time';
import { Clock } from '../../common/time/clock';
import type { EntityManager } from 'typeorm';
import type { CreateLocationDto, DropInView, LocationListQuery, LocationView, OpeningDayView, OpeningHoursQuery, OpeningHoursView, UpdateLocationDto } from './dto/location.dto';
import { toLocationView } from './location-view';
import { DEFAULT_REMINDERS, DropInRow, LocationRow, LocationsRepository, LocationWrite, ScheduleData } from './locations.repository';
import { finnishHolidays } from './opening-hours/finnish-holidays';
import { openIntervalsOf, ResolvedDay, resolveOpeningHours } from './opening-hours/resolve-opening-hours';
import type { HolidaySpan } from './opening-hours/types';
import { slugify } from './slugify';

/** API.md: opening hours default to 14 days; a range over 366 days is refused. */
export const OPENING_HOURS_DEFAULT_DAYS = 14;
export const OPENING_HOURS_MAX_DAYS = 366;

export const POLICY_DEFAULTS = {
  minNoticeMinutes: 120,
  maxDaysAhead: 60,
  cancelUntilMinutesBefore: 60,
  maxActiveBookingsPerContact: 2,
  shareContactWithPartners: false,
} as const;

export const DEFAULT_TIME_ZONE = 'Europe/Helsinki';


/** A schedule read with the holidays of its dates. */
type Schedules = ScheduleData & { holidays: HolidaySpan[] };

/** What other modules need of a location (bookings, slots, feeds). */
export interface LocationSummary {
  id: string;
  slug: string;
  name: { fi: string; sv: string; en: string };
  address: { street: string; postalCode: string; city: string };
  timezone: string;
  active: boolean;
  policy: LocationView['policy'];
}

const isSlugCursor = (v: unknown): v is string => typeof v === 'string';

/** Canonical spelling of a valid IANA zone (`europe/helsinki` → `Europe/Helsinki`). */
function canonicalZone(zone: string): string {
  return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
}

@Injectable()
export class LocationsService {
  constructor(
    private readonly repo: LocationsRepository,
    private readonly clock: Clock,
  ) {}

  // ---- reads (public) ----

  async list(query: LocationListQuery): Promise<Page<LocationView>> {
    const limit = query.limit ?? 50;
    if (query.municipality !== undefined) await this.assertMunicipality(query.municipality);
    const rows = await this.repo.list({
      municipality: query.municipality,
      q: query.q,
      includeInactive: query.includeInactive ?? false,
      after: query.cursor ? decodeCursor(query.cursor, isSlugCursor) : undefined,
      limit,
    });
    return toPage(rows.map(toLocationView), limit, (last) => last.slug);
  }

  async get(id: string): Promise<LocationView> {
    return toLocationView(await this.find(id));
  }

  async municipalities() {
    const rows = await this.repo.listMunicipalities();
    return { items: rows.map((r) => ({ code: r.code, name: { fi: r.name_fi, sv: r.name_sv } })), nextCursor: null };
  }

  // ---- writes ----

  async create(caller: Principal, dto: CreateLocationDto): Promise<LocationView> {
    assertMayAdministerLocations(caller, 'Only an admin creates locations.');
    const write: LocationWrite = {
      slug: dto.slug ?? slugify(dto.name.fi),
      name: { fi: dto.name.fi, sv: dto.name.sv ?? dto.name.fi, en: dto.name.en ?? dto.name.fi },
      municipalityCode: dto.municipality,
      address: { street: dto.address.street, postalCode: dto.address.postalCode, city: dto.address.city },
      timezone: dto.timezone ?? DEFAULT_TIME_ZONE,
      accessibility: dto.accessibility ? { ...dto.accessibility } : null,
      active: dto.active ?? true,
      ...POLICY_DEFAULTS,
      reminders: DEFAULT_REMINDERS,
      ...definedOnly(dto.policy ?? {}),
    };
    await this.checkWrite(write);
    // The unique index is the guard against a race; this only gives a friendlier message.
    if (await this.repo.slugTaken(write.slug)) throw slugTaken();
    const id = await this.repo.insert(write);
    return this.get(id);
  }

  async update(caller: Principal, id: string, dto: UpdateLocationDto, ifMatch?: string): Promise<LocationView> {
    const row = await this.findEditable(caller, id);
    if (dto.active !== undefined && dto.active !== row.active) assertMayAdministerLocations(caller, 'Only an admin takes a location into or out of use.');
    assertIfMatch(ifMatch, row.version);
    const current = toWrite(row);
    const write: LocationWrite = {
      ...current,
      slug: dto.slug ?? current.slug,
      name: dto.name ? { fi: dto.name.fi, sv: dto.name.sv ?? dto.name.fi, en: dto.name.en ?? dto.name.fi } : current.name,
      municipalityCode: dto.municipality ?? current.municipalityCode,
      address: dto.address ? { street: dto.address.street, postalCode: dto.address.postalCode, city: dto.address.city } : current.address,
      timezone: dto.timezone ?? current.timezone,
      accessibility: dto.accessibility === undefined ? current.accessibility : dto.accessibility ? { ...dto.accessibility } : null,
      active: dto.active ?? current.active,
      ...definedOnly(dto.policy ?? {}),
    };
    await this.checkWrite(write);
    if (write.slug !== current.slug && (await this.repo.slugTaken(write.slug, id))) throw slugTaken();
    // The version in WHERE makes a concurrent edit fail instead of being overwritten.
    if (!(await this.repo.update(id, row.version, write))) {
      throw new ProblemException('version-mismatch', 'The location changed while you edited it.');
    }
    return this.get(id);
  }

  /**
   * Takes a location out of use (soft delete: active = false) in the caller's transaction, after
   * locking its row. Bookings, tutors' memberships and rules, and claims keep pointing at it, its
   * history stays, and an admin can PATCH it back into use as it was. Already inactive: no change.
   */
  async deactivate(m: EntityManager, caller: Principal, id: string, ifMatch?: string): Promise<void> {
    assertMayAdministerLocations(caller, 'Only an admin removes locations.');
    const row = await this.repo.findById(id, m, true);
    if (!row) throw ProblemException.notFound('location');
    assertIfMatch(ifMatch, row.version);
    if (row.active && !(await this.repo.update(id, row.version, { ...toWrite(row), active: false }, m))) {
      throw new ProblemException('version-mismatch', 'The location changed while you removed it.');
    }
  }

  // ---- opening hours ----

  async openingHours(id: string, query: OpeningHoursQuery): Promise<OpeningHoursView> {
    const row = await this.find(id);
    const range = this.dateRange(row.timezone, query);
    const [days, dropIns] = await Promise.all([
      this.resolve([row], new Map([[row.id, range]])).then((d) => d.get(row.id) ?? []),
      this.repo.dropIns(row.id, ...instantsOf(row.timezone, range)).then((list) => dropInsByDate(row, range, list)),
    ]);
    return { items: days.map((d) => toOpeningDayView(d, dropIns.get(d.date))) };
  }

  /**
   * The location and its opening hours in a range chosen from its time zone. The schedules are
   * read together with the location, for the range's span over every zone; read again only
   * when the location's own range falls outside that span.
   */
  async withOpeningHours(id: string, range: (timeZone: string) => OpeningHoursQuery): Promise<{ location: LocationView } & OpeningHoursView> {
    const everywhere = spanOf([EARLIEST_ZONE, LATEST_ZONE].map((zone) => this.dateRange(zone, range(zone))));
    // The drop-ins of those dates in any zone, read alongside; each branch keeps its own dates' below.
    const [row, read, dropInRows] = await Promise.all([
      this.find(id),
      this.schedules([id], everywhere),
      this.repo.dropIns(id, instantsOf(EARLIEST_ZONE, everywhere)[0], instantsOf(LATEST_ZONE, everywhere)[1]),
    ]);
    const own = this.dateRange(row.timezone, range(row.timezone));
    const schedules = own.from >= everywhere.from && own.to <= everywhere.to ? read : await this.schedules([id], own);
    const days = this.resolveWith(schedules, [row], new Map([[row.id, own]])).get(row.id) ?? [];
    const dropIns = dropInsByDate(row, own, dropInRows);
    return { location: toLocationView(row), items: days.map((d) => toOpeningDayView(d, dropIns.get(d.date))) };
  }

  /** The location's resolved days in the query's range (GET /locations/{id}/opening-hours before it is shown). */
  async resolvedDays(id: string, query: OpeningHoursQuery): Promise<ResolvedDay[]> {
    const row = await this.find(id);
    const range = this.dateRange(row.timezone, query);
    return (await this.resolve([row], new Map([[row.id, range]]))).get(row.id) ?? [];
  }

  /**
   * For the slot search: the open instants of many locations in `[from, to)`, from weekly hours,
   * exceptions, holidays and closures, loaded in four queries whatever the number of locations
   * or days. Unknown and inactive locations map to [].
   */
  async openIntervals(locationIds: readonly string[], from: Date, to: Date): Promise<Map<string, { start: Date; end: Date }[]>> {
    const out = new Map<string, { start: Date; end: Date }[]>(locationIds.map((id) => [id, []]));
    if (!(to.getTime() > from.getTime())) return out;
    const rows = (await this.repo.findByIds([...new Set(locationIds)])).filter((r) => r.active);
    if (rows.length === 0) return out;
    const ranges = new Map(rows.map((r) => [r.id, { from: formatLocalDate(from, r.timezone), to: formatLocalDate(to.getTime() - 1, r.timezone) }]));
    const days = await this.resolve(rows, ranges);
    for (const row of rows) {
      const intervals = openIntervalsOf(days.get(row.id) ?? [], from.getTime(), to.getTime());
      out.set(row.id, intervals.map((i) => ({ start: new Date(i.start), end: new Date(i.end) })));
    }
    return out;
  }

  /**
   * The open instants of one location in `[from, to)` as `m`'s transaction sees its schedule (a
   * change it has just written included): sorted, disjoint; [] for an inactive location.
   */
  async openIntervalsIn(m: EntityManager, row: LocationRow, from: Date, to: Date): Promise<{ start: number; end: number }[]> {
    if (!row.active || !(to.getTime() > from.getTime())) return [];
    const range = { from: formatLocalDate(from, row.timezone), to: formatLocalDate(to.getTime() - 1, row.timezone) };
    const days = (await this.resolve([row], new Map([[row.id, range]]), m)).get(row.id) ?? [];
    return openIntervalsOf(days, from.getTime(), to.getTime());
  }

  // ---- for other modules ----

  /** The branch's closures overlapping [from, to), whole or partial days. */
  async closureSpans(locationId: string, from: Date, to: Date): Promise<{ start: Date; end: Date }[]> {
    return (await this.repo.closures([locationId], from, to)).map((c) => ({ start: c.start, end: c.end }));
  }

  /** Locations by id (one query); unknown ids are absent from the map. */
  async summaries(ids: readonly string[]): Promise<Map<string, LocationSummary>> {
    const rows = await this.repo.findByIds([...new Set(ids)]);
    return new Map(
      rows.map((r) => {
        const v = toLocationView(r);
        return [r.id, { id: v.id, slug: v.slug, name: v.name, address: v.address, timezone: v.timezone, active: v.active, policy: v.policy }];
      }),
    );
  }

  /** API.md: unknown ids in a body or query → 422 naming the field. */
  async assertLocationsExist(ids: readonly string[], field = 'locationIds'): Promise<void> {
    const found = await this.summaries(ids);
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw ProblemException.validation(field, 'unknown-location', `No such location: ${missing.join(', ')}.`);
  }

  /** The location, or 404. */
  async find(id: string): Promise<LocationRow> {
    const row = await this.repo.findById(id);
    if (!row) throw ProblemException.notFound('location');
    return row;
  }

  /** The location if the caller may change it: 404 when unknown, 403 when someone else's (it is public). */
  async findEditable(caller: Principal, id: string): Promise<LocationRow> {
    const row = await this.find(id);
    assertMayEditLocation(caller, id);
    return row;
  }

  // ---- internals ----

  /**
   * Resolves each location over its own local dates. Loads periods, exceptions and closures of all
   * of them in one round of three queries (dates spanning every location's range).
   */
  private async resolve(rows: LocationRow[], ranges: Map<string, { from: string; to: string }>, m?: EntityManager): Promise<Map<string, ResolvedDay[]>> {
    const schedules = await this.schedules(rows.map((r) => r.id), spanOf([...ranges.values()]), m);
    return this.resolveWith(schedules, rows, ranges);
  }

  /** Periods, exceptions, closures and holidays of the locations on the local dates `span.from`–`span.to` in any zone. */
  private async schedules(ids: string[], span: { from: string; to: string }, m?: EntityManager): Promise<Schedules> {
    // Closures touching those local dates in any zone: a day of margin either side.
    const closuresFrom = new Date((parseIsoDate(span.from)! - 1) * DAY_MS);
    const closuresTo = new Date((parseIsoDate(span.to)! + 2) * DAY_MS);
    return { ...(await this.repo.schedules(ids, span.from, span.to, closuresFrom, closuresTo, m)), holidays: finnishHolidays(span.from, span.to) };
  }

  /** Each location's days in its range, from schedules read for (at least) those dates. */
  private resolveWith(data: Schedules, rows: LocationRow[], ranges: Map<string, { from: string; to: string }>): Map<string, ResolvedDay[]> {
    const out = new Map<string, ResolvedDay[]>();
    for (const r of rows) {
      const range = ranges.get(r.id)!;
      out.set(
        r.id,
        resolveOpeningHours({
          timeZone: r.timezone,
          from: range.from,
          to: range.to,
          active: r.active,
          periods: data.periods.get(r.id) ?? [],
          exceptions: data.exceptions.get(r.id) ?? [],
          holidays: data.holidays,
          closures: data.closures.get(r.id) ?? [],
        }),
      );
    }
    return out;
  }

  private dateRange(timeZone: string, query: OpeningHoursQuery): { from: string; to: string } {
    const errors: FieldError[] = [];
    const fromDay = query.from === undefined ? parseIsoDate(formatLocalDate(this.clock.now(), timeZone)) : parseIsoDate(query.from);
    if (fromDay === null) errors.push({ field: 'from', code: 'invalid-date', message: 'from is a date YYYY-MM-DD that exists.' });
    const toDay = query.to === undefined ? (fromDay ?? 0) + OPENING_HOURS_DEFAULT_DAYS - 1 : parseIsoDate(query.to);
    if (toDay === null) errors.push({ field: 'to', code: 'invalid-date', message: 'to is a date YYYY-MM-DD that exists.' });
    if (errors.length) throw new ProblemException('validation-failed', 'Some fields are missing or invalid.', errors);
    if (toDay! < fromDay!) throw ProblemException.validation('to', 'end-before-start', 'to may not be before from.');
    if (toDay! - fromDay! + 1 > OPENING_HOURS_MAX_DAYS) {
      throw new ProblemException('range-too-long', `Ask for at most ${OPENING_HOURS_MAX_DAYS} days at a time.`);
    }
    return { from: formatIsoDate(fromDay!), to: formatIsoDate(toDay!) };
  }

  private async checkWrite(w: LocationWrite): Promise<void> {
    const errors: FieldError[] = [];
    if (!isValidTimeZone(w.timezone)) errors.push({ field: 'timezone', code: 'unknown-time-zone', message: 'timezone is an IANA zone such as Europe/Helsinki.' });
    else w.timezone = canonicalZone(w.timezone);
    if (!(await this.repo.municipalityExists(w.municipalityCode))) {
      errors.push({ field: 'municipality', code: 'unknown-municipality', message: 'No municipality has this code.' });
    }
    if (errors.length) throw new ProblemException('validation-failed', 'Some fields are missing or invalid.', errors);
  }

  private async assertMunicipality(code: string): Promise<void> {
    if (!/^\d{3}$/.test(code) || !(await this.repo.municipalityExists(code))) {
      throw ProblemException.validation('municipality', 'unknown-municipality', 'No municipality has this code.');
    }
  }
}

function slugTaken(): ProblemException {
  return new ProblemException('already-exists', 'Another location has this slug.', [{ field: 'slug', code: 'already-exists', message: 'Another location has this slug.' }]);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function toWrite(r: LocationRow): LocationWrite {
  return {
    slug: r.slug,
    name: r.name,
    municipalityCode: r.municipality_code,
    address: r.address,
    timezone: r.timezone,
    accessibility: r.accessibility,
    active: r.active,
    minNoticeMinutes: r.min_notice_minutes,
    maxDaysAhead: r.max_days_ahead,
    cancelUntilMinutesBefore: r.cancel_until_minutes_before,
    maxActiveBookingsPerContact: r.max_active_bookings_per_contact,
    shareContactWithPartners: r.share_contact_with_partners,
    reminders: r.reminders,
  };
}

const minOf = (xs: string[]) => xs.reduce((a, b) => (b < a ? b : a));
const maxOf = (xs: string[]) => xs.reduce((a, b) => (b > a ? b : a));
/** The dates from the earliest range's first to the latest range's last. */
const spanOf = (ranges: { from: string; to: string }[]) => ({ from: minOf(ranges.map((r) => r.from)), to: maxOf(ranges.map((r) => r.to)) });

/** A resolved day as GET /locations/{id}/opening-hours writes it. */
function toOpeningDayView(d: ResolvedDay, dropIn?: DropInView[]): OpeningDayView {
  return {
    date: d.date,
    hours: d.hours,
    ...(d.holiday ? { holiday: d.holiday } : {}),
    ...(d.exception ? { exception: d.exception } : {}),
    ...(d.closedReason ? { closedReason: d.closedReason } : {}),
    ...(dropIn?.length ? { dropIn } : {}),
  };
}

/** The first instant of the range's first local date and the end of its last, in a zone. */
function instantsOf(timeZone: string, range: { from: string; to: string }): [Date, Date] {
  return [new Date(startOfLocalDay(timeZone, parseIsoDate(range.from)!)), new Date(startOfLocalDay(timeZone, parseIsoDate(range.to)! + 1))];
}

/** Partners' approved drop-in hours at the branch starting on the range's dates, by local date. */
function dropInsByDate(row: LocationRow, range: { from: string; to: string }, rows: DropInRow[]): Map<string, DropInView[]> {
  const [from, to] = instantsOf(row.timezone, range);
  const out = new Map<string, DropInView[]>();
  for (const d of rows) {
    if (d.start < from || d.start >= to) continue;
    const date = formatLocalDate(d.start, row.timezone);
    const list = out.get(date) ?? [];
    list.push({
      claimId: d.claim_id,
      partnerId: d.partner_id,
      partnerName: d.partner_name,
      start: formatInstant(d.start, row.timezone),
      end: formatInstant(d.end, row.timezone),
      topics: d.topics,
      languages: d.languages,
      roomId: d.room_id,
    });
    out.set(date, list);
  }
  return out;
}
