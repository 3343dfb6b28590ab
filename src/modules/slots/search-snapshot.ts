import { Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers';
import { Clock } from '../../common/time/clock';
import type { EntityManager } from 'typeorm';
import { DAY_MS, formatIsoDate, localDayOf, MINUTE_MS, startOfLocalDay } from '../../common/time/local-time';
import { toDateException } from '../locations/opening-hours/date-exception';
import { finnishHolidays } from '../locations/opening-hours/finnish-holidays';
import { resolveOpeningHours } from '../locations/opening-hours/resolve-opening-hours';
import type { LocationSummary } from '../locations/locations.service';
import type { ClosureSpan, DateException, InstantInterval, WeeklyPeriod } from '../locations/opening-hours/types';
import { AvailabilityWindow, computeSlots, Slot, SlotKind, WeeklyAvailabilityRule } from './engine';
import type { SlotView } from './dto/slot.dto';
import { SessionHistogram } from './session-histogram';
import { MAX_SESSION_MS, toView } from './slot-common';
import { SearchInputs, SlotSearchRepository } from './slot-search.repository';

/**
 * The slot search's slowly changing inputs (active branches with their hours, exceptions and
 * closures; active tutors with topics and languages; their weekly rules; approved bookable
 * partner claims with their advisors, topics and languages), held in memory and
 * tagged with the database's search-input version. A search uses a snapshot only after reading,
 * in the same statement as the bookings, that the version is still the same; otherwise it loads
 * a new one. So results are as current as reading everything per request, without doing so.
 */

export interface SnapTutor {
  id: string;
  displayName: string;
  kind: string;
  languages: string[];
  /** Active topic slugs in catalogue order. */
  topics: string[];
}

export interface SnapRule {
  tutor: SnapTutor;
  weekday: number;
  /** The rule as the engine takes it. */
  engine: WeeklyAvailabilityRule;
  startMinute: number;
  endMinute: number;
  sessionMinutes: number;
  bufferMinutes: number;
}

/**
 * An approved bookable partner claim: its advisors are available in [start, end), in sessions of
 * sessionMinutes + bufferMinutes from its start (one engine window per advisor).
 */
export interface SnapClaim {
  id: string;
  partnerId: string;
  locationId: string;
  roomId: string | null;
  start: number;
  end: number;
  sessionMinutes: number;
  bufferMinutes: number;
  languages: string[];
  /** Active topic slugs in catalogue order. */
  topics: string[];
  /** Its active advisors, by id. */
  advisors: SnapTutor[];
  windows: AvailabilityWindow[];
}

export interface SnapLocation {
  id: string;
  municipality: string;
  timeZone: string;
  minNoticeMinutes: number;
  maxDaysAhead: number;
  /** Branches of the same zone, notice and horizon share it (0, 1, …): they admit the same starts. */
  policyClass: number;
  periods: WeeklyPeriod[];
  exceptions: DateException[];
  closures: ClosureSpan[];
  rules: SnapRule[];
  /** Approved bookable claims here, by start. */
  claims: SnapClaim[];
  /** The branch as LocationsService.summaries gives it (active: the snapshot holds active branches only). */
  summary: LocationSummary;
}

/** An active topic (as TopicsService.findBySlugs gives it). */
export interface SnapTopic {
  id: string;
  slug: string;
  active: true;
}

export interface ScopeFilter {
  /** Tutor kinds whose weekly rules give tutoring slots. */
  kinds: readonly string[];
  /** Only tutoring slots (weekly rules) or only advisory ones (claims); both when absent. */
  slotKind?: SlotKind;
  locationId?: string;
  municipality?: string;
  topic?: string;
  language?: string;
}

/** A rule of the scope with its branch. */
export interface ScopeRule {
  rule: SnapRule;
  location: SnapLocation;
}

/** The scope's rules in one time zone, by ISO weekday (index 1–7), each list by start time. */
export interface ZoneRules {
  timeZone: string;
  byWeekday: ScopeRule[][];
}

/** A claim of the scope with its branch. */
export interface ScopeClaim {
  claim: SnapClaim;
  location: SnapLocation;
}

/** What a scope takes from a branch's candidate slots: the rule slots of these tutors, the advisory slots of these claims. */
export interface ScopeBranch {
  tutors: Set<string>;
  claims: Set<string>;
}

export interface Scope {
  zones: ZoneRules[];
  /** By branch, the candidate slots the scope takes (SearchSnapshot.branchDay holds all of them). */
  branches: Map<SnapLocation, ScopeBranch>;
  rules: number;
  /** The scope's claims, by start. */
  claims: ScopeClaim[];
  histogram: SessionHistogram;
  /** The smallest minimum notice among the scope's branches. */
  minNoticeMinutes: number;
  /** The largest booking horizon (maxDaysAhead) among the scope's branches. */
  maxDaysAhead: number;
  /**
   * Share of the first candidates recent searches found free (sizes the first batch); a guess
   * (INITIAL_FREE_RATIO) until a search of the scope has measured it.
   */
  freeRatio: number;
  freeRatioMeasured: boolean;
  /** Names the scope's filters. */
  key: string;
  /** Length of the scope's candidate blocks (a week at most; blocks start at multiples of it). */
  blockMs: number;
  /** Candidate blocks computed so far, by start (SearchSnapshot.candidateBlock). */
  blocks: Map<number, Slot[]>;
  /** When a search last used the scope (a count of scope() calls): the least recent lose their blocks first. */
  lastUse: number;
}

const MAX_SCOPES = 5_000;
/** Before anything is known, a quarter of the sessions in a window is assumed free. */
const INITIAL_FREE_RATIO = 0.25;
const MAX_OPENING_DAYS = 200_000;
/**
 * Candidate slots kept for reuse, in all (a slot with its two Dates is about 320 bytes, its view
 * about 360 more once answered): the next weeks of every branch and again of every municipality
 * and topic searched, so the need grows with the branches. The national world (800 branches,
 * 3,750 municipality-topic pairs) needs about 440,000 (≈ 140 MB); below that, a mix of such
 * searches drops and recomputes blocks on most searches. At least MIN_KEPT_CANDIDATES (≈ 65 MB).
 */
const KEPT_CANDIDATES_PER_BRANCH = 625;
const MIN_KEPT_CANDIDATES = 200_000;
/**
 * Candidate block lengths, a week at most: a scope takes the shortest in which its rules offer
 * about BLOCK_SESSIONS sessions, so the country's first page computes a few quarter hours and one
 * branch's a few days at a time.
 */
const BLOCK_LENGTHS_MS = [15, 30, 60, 120, 240, 480, 1440, 2880, 5760, 10080].map((minutes) => minutes * MINUTE_MS);
const BLOCK_SESSIONS = 64;
/**
 * A branch's candidate slots of one local day are computed as at the day's start with this
 * policy, so they list every slot starting that day; a search applies each branch's real policy
 * when it walks them.
 */
const DAY_POLICY = { minNoticeMinutes: 0, maxDaysAhead: 2 };
/** A new snapshot's branch days are computed ahead for today and this many days in all (the default search looks 14 days ahead). */
const WARM_DAYS = 15;
/** The warm-up works in slices of about this many milliseconds, letting requests run between them. */
const WARM_SLICE_MS = 2;
const WEEK_MS = 7 * DAY_MS;

/** What a kept block counts against maxKeptCandidates: its slots, and at least one (empty blocks are kept too). */
function keptSize(list: Slot[]): number {
  return Math.max(1, list.length);
}

function blockLength(sessionsPerWeek: number): number {
  return BLOCK_LENGTHS_MS.find((ms) => (sessionsPerWeek * ms) / WEEK_MS >= BLOCK_SESSIONS) ?? WEEK_MS;
}

export class SearchSnapshot {
  readonly tutors = new Map<string, SnapTutor>();
  readonly locations = new Map<string, SnapLocation>();
  /** Active topics by slug. */
  readonly topics = new Map<string, SnapTopic>();
  /** Approved bookable claims by id. */
  readonly claims = new Map<string, SnapClaim>();
  /** Names of active partners by id. */
  readonly partners = new Map<string, { fi: string; sv: string; en: string }>();
  private readonly byMunicipality = new Map<string, SnapLocation[]>();
  private readonly scopes = new Map<string, Scope>();
  /** Branch → local day → that date's open intervals. */
  private readonly openDays = new Map<string, Map<number, InstantInterval[]>>();
  private openDayCount = 0;
  private readonly policyClasses = new Map<string, number>();
  /** Branch → local day → the engine's candidate slots starting that day (SearchSnapshot.branchDay), with when last used. */
  private readonly branchDays = new Map<string, Map<number, { slots: Slot[]; used: number }>>();
  /** Slots in branchDays, maxKeptCandidates at most. */
  private branchDaySlots = 0;
  private branchDayLists = 0;
  private branchDayUses = 0;
  /** Slots in the scopes' candidate blocks, maxKeptCandidates at most. */
  private keptCandidates = 0;
  private readonly maxKeptCandidates: number;
  private scopeUses = 0;
  /** Views of candidate slots already answered (candidate blocks are reused across searches). */
  private readonly views = new WeakMap<Slot, SlotView>();

  readonly version: string;

  /** `maxKeptCandidates` overrides the size of each cache (tests). */
  constructor(inputs: SearchInputs, limits: { maxKeptCandidates?: number } = {}) {
    this.version = inputs.version;
    for (const [id, displayName, kind, languages, topics] of inputs.tutors) this.tutors.set(id, { id, displayName, kind, languages, topics });
    for (const [id, slug] of inputs.topics) this.topics.set(slug, { id, slug, active: true });
    for (const [id, municipality, timeZone, minNoticeMinutes, maxDaysAhead, periods, exceptions, closures, info] of inputs.locations) {
      const [slug, name, address, cancelUntilMinutesBefore, maxActiveBookingsPerContact, shareContactWithPartners] = info;
      const location: SnapLocation = {
        id,
        municipality,
        timeZone,
        minNoticeMinutes,
        maxDaysAhead,
        policyClass: this.policyClassOf(timeZone, minNoticeMinutes, maxDaysAhead),
        periods: periods.map(([validFrom, validUntil, intervals]) => {
          const days: WeeklyPeriod['days'] = {};
          for (const [weekday, start, end] of intervals) (days[weekday] ??= []).push([start, end]);
          return { validFrom, validUntil, days };
        }),
        exceptions: exceptions.map(([date, hours, reason]) => toDateException({ date, hours, reason: reason as never })),
        closures: closures.map(([start, end]) => ({ start, end, reason: null })),
        rules: [],
        claims: [],
        summary: {
          id,
          slug,
          name,
          address,
          timezone: timeZone,
          active: true,
          policy: { minNoticeMinutes, maxDaysAhead, cancelUntilMinutesBefore, maxActiveBookingsPerContact, shareContactWithPartners },
        },
      };
      this.locations.set(id, location);
      const list = this.byMunicipality.get(municipality);
      if (list) list.push(location);
      else this.byMunicipality.set(municipality, [location]);
    }
    this.maxKeptCandidates = limits.maxKeptCandidates ?? Math.max(MIN_KEPT_CANDIDATES, KEPT_CANDIDATES_PER_BRANCH * this.locations.size);
    for (const [tutorId, locationId, weekday, startMinute, endMinute, sessionMinutes, bufferMinutes, validFrom, validUntil] of inputs.rules) {
      const tutor = this.tutors.get(tutorId);
      const location = this.locations.get(locationId);
      if (!tutor || !location) continue;
      location.rules.push({
        tutor,
        weekday,
        startMinute,
        endMinute,
        sessionMinutes,
        bufferMinutes,
        engine: { tutorId, weekday, startTime: clock(startMinute), endTime: clock(endMinute), sessionMinutes, bufferMinutes, validFrom, validUntil },
      });
    }
    for (const [id, name] of inputs.partners) this.partners.set(id, name);
    // In start order (the load sorts them), so each branch's list is too.
    for (const [id, partnerId, locationId, roomId, start, end, sessionMinutes, bufferMinutes, languages, topics, advisorIds] of inputs.claims) {
      const location = this.locations.get(locationId);
      if (!location) continue;
      const advisors = advisorIds.map((a) => this.tutors.get(a)).filter((t): t is SnapTutor => t !== undefined);
      const claim: SnapClaim = {
        id,
        partnerId,
        locationId,
        roomId,
        start,
        end,
        sessionMinutes,
        bufferMinutes,
        languages,
        topics,
        advisors,
        windows: advisors.map((a) => ({ tutorId: a.id, start, end, sessionMinutes, bufferMinutes, kind: 'advisory', claimId: id, partnerId, roomId })),
      };
      this.claims.set(id, claim);
      location.claims.push(claim);
    }
  }

  private policyClassOf(timeZone: string, minNoticeMinutes: number, maxDaysAhead: number): number {
    const key = `${timeZone}|${minNoticeMinutes}|${maxDaysAhead}`;
    let n = this.policyClasses.get(key);
    if (n === undefined) this.policyClasses.set(key, (n = this.policyClasses.size));
    return n;
  }

  /** The branches and rules a search with these filters looks at (computed once per snapshot). */
  scope(f: ScopeFilter): Scope {
    const key = `${f.kinds.join(',')}|${f.slotKind ?? ''}|${f.locationId ?? ''}|${f.municipality ?? ''}|${f.topic ?? ''}|${f.language ?? ''}`;
    let scope = this.scopes.get(key);
    if (scope) {
      scope.lastUse = ++this.scopeUses;
      return scope;
    }
    const candidates = f.locationId
      ? [this.locations.get(f.locationId)].filter((l): l is SnapLocation => l !== undefined && (f.municipality === undefined || l.municipality === f.municipality))
      : f.municipality !== undefined
        ? (this.byMunicipality.get(f.municipality) ?? [])
        : [...this.locations.values()];
    const zones = new Map<string, ZoneRules>();
    const shapes = [];
    let rules = 0;
    let minNotice = Infinity;
    let maxDaysAhead = 0;
    const claims: ScopeClaim[] = [];
    const branches = new Map<SnapLocation, ScopeBranch>();
    const branchOf = (location: SnapLocation): ScopeBranch => {
      let branch = branches.get(location);
      if (!branch) branches.set(location, (branch = { tutors: new Set(), claims: new Set() }));
      return branch;
    };
    for (const location of candidates) {
      let zone = zones.get(location.timeZone);
      if (f.slotKind !== 'tutoring') {
        for (const claim of location.claims) {
          if (f.language !== undefined && !claim.languages.includes(f.language)) continue;
          if (f.topic !== undefined && !claim.topics.includes(f.topic)) continue;
          if (claim.advisors.length === 0) continue;
          claims.push({ claim, location });
          branchOf(location).claims.add(claim.id);
          minNotice = Math.min(minNotice, location.minNoticeMinutes);
          maxDaysAhead = Math.max(maxDaysAhead, location.maxDaysAhead);
        }
      }
      if (f.slotKind === 'advisory') continue;
      for (const r of location.rules) {
        const t = r.tutor;
        if (!f.kinds.includes(t.kind)) continue;
        if (f.language !== undefined && !t.languages.includes(f.language)) continue;
        if (f.topic !== undefined && !t.topics.includes(f.topic)) continue;
        if (!(r.weekday >= 1 && r.weekday <= 7)) continue;
        if (!zone) zones.set(location.timeZone, (zone = { timeZone: location.timeZone, byWeekday: [[], [], [], [], [], [], [], []] }));
        zone.byWeekday[r.weekday].push({ rule: r, location });
        branchOf(location).tutors.add(t.id);
        shapes.push({ timeZone: location.timeZone, weekday: r.weekday, startMinute: r.startMinute, endMinute: r.endMinute, sessionMinutes: r.sessionMinutes, bufferMinutes: r.bufferMinutes });
        rules++;
        minNotice = Math.min(minNotice, location.minNoticeMinutes);
        maxDaysAhead = Math.max(maxDaysAhead, location.maxDaysAhead);
      }
    }
    for (const zone of zones.values()) for (const list of zone.byWeekday) list.sort((a, b) => a.rule.startMinute - b.rule.startMinute);
    claims.sort((a, b) => a.claim.start - b.claim.start);
    const histogram = SessionHistogram.of(shapes);
    scope = {
      zones: [...zones.values()],
      branches,
      rules,
      claims,
      histogram,
      minNoticeMinutes: Number.isFinite(minNotice) ? minNotice : 0,
      maxDaysAhead,
      freeRatio: INITIAL_FREE_RATIO,
      freeRatioMeasured: false,
      key,
      blockMs: blockLength(histogram.perWeek),
      blocks: new Map(),
      lastUse: ++this.scopeUses,
    };
    if (this.scopes.size >= MAX_SCOPES) {
      const [oldest] = this.scopes.values();
      this.scopes.delete(oldest.key);
      for (const list of oldest.blocks.values()) this.keptCandidates -= keptSize(list);
    }
    this.scopes.set(key, scope);
    return scope;
  }

  /**
   * The scope's candidate block starting at `start` (SlotsService computes it): its slots do not
   * depend on the time of the search, so it is kept as long as the snapshot, for every search of
   * the scope. Past maxKeptCandidates slots, the least recently used scopes' blocks are dropped
   * (computed again on demand), down to half of it.
   */
  candidateBlock(scope: Scope, start: number, compute: () => Slot[]): Slot[] {
    let list = scope.blocks.get(start);
    if (!list) {
      list = compute();
      if (this.keptCandidates + keptSize(list) > this.maxKeptCandidates) this.dropLeastUsedBlocks(scope);
      scope.blocks.set(start, list);
      this.keptCandidates += keptSize(list);
    }
    return list;
  }

  private dropLeastUsedBlocks(current: Scope): void {
    const holding = [...this.scopes.values()].filter((s) => s.blocks.size > 0 && s !== current).sort((a, b) => a.lastUse - b.lastUse);
    for (const s of [...holding, current]) {
      if (this.keptCandidates <= this.maxKeptCandidates / 2) break;
      for (const list of s.blocks.values()) this.keptCandidates -= keptSize(list);
      s.blocks.clear();
    }
  }

  /**
   * Every candidate slot of the branch starting on the local `day`: the engine's slots of all its
   * weekly rules and approved claims, within its opening hours, before bookings, absences and
   * booking policy, in search order. Each scope takes its own tutors' and claims' slots from these
   * (a tutor's slots do not depend on other tutors), so the branches' days are computed once for
   * every scope. Past maxKeptCandidates slots, the least recently used days are dropped (computed
   * again on demand).
   */
  branchDay(location: SnapLocation, day: number): Slot[] {
    let days = this.branchDays.get(location.id);
    if (!days) this.branchDays.set(location.id, (days = new Map()));
    let kept = days.get(day);
    if (!kept) {
      const from = startOfLocalDay(location.timeZone, day);
      const to = startOfLocalDay(location.timeZone, day + 1);
      const slots = computeSlots({
        locationId: location.id,
        timeZone: location.timeZone,
        rules: location.rules.map((r) => r.engine),
        windows: location.claims.filter((c) => c.start < to && c.end > from).flatMap((c) => c.windows),
        openings: this.openings(location, from, to + MAX_SESSION_MS),
        policy: DAY_POLICY,
        now: from,
        from,
        to,
      });
      if (this.branchDaySlots + keptSize(slots) > this.maxKeptCandidates) this.dropLeastUsedBranchDays();
      days.set(day, (kept = { slots, used: 0 }));
      this.branchDaySlots += keptSize(slots);
      this.branchDayLists++;
    }
    kept.used = ++this.branchDayUses;
    return kept.slots;
  }

  /** Drops the least recently used branch days, down to half of maxKeptCandidates slots. */
  private dropLeastUsedBranchDays(): void {
    const all: { days: Map<number, { slots: Slot[]; used: number }>; day: number; used: number; size: number }[] = [];
    for (const days of this.branchDays.values()) for (const [day, { slots, used }] of days) all.push({ days, day, used, size: keptSize(slots) });
    all.sort((a, b) => a.used - b.used);
    for (const { days, day, size } of all) {
      if (this.branchDaySlots <= this.maxKeptCandidates / 2) break;
      days.delete(day);
      this.branchDaySlots -= size;
      this.branchDayLists--;
    }
  }

  /** How many branch days are computed and kept. */
  get branchDaysKept(): number {
    return this.branchDayLists;
  }

  /**
   * Computes ahead, one branch day per step, the days searches start with: today and the next
   * WARM_DAYS − 1 local days of every branch with rules or claims, nearest days first. Stops
   * early rather than fill more than three quarters of what branchDay keeps.
   */
  *warmUp(now: number): Generator<void> {
    const branches = [...this.locations.values()].filter((l) => l.rules.length > 0 || l.claims.length > 0);
    for (let ahead = 0; ahead < WARM_DAYS; ahead++) {
      for (const location of branches) {
        if (this.branchDaySlots > (this.maxKeptCandidates * 3) / 4) return;
        this.branchDay(location, localDayOf(location.timeZone, now) + ahead);
        yield;
      }
    }
  }

  /** The slot as the API writes it (remembered per slot object; views are never modified). */
  view(slot: Slot): SlotView {
    let view = this.views.get(slot);
    if (!view) {
      view = slotView(this, slot);
      this.views.set(slot, view);
    }
    return view;
  }

  /**
   * The branch's open intervals in [from, to): weekly hours, exceptions, Finnish holidays and
   * closures resolved date by date exactly as LocationsService.openIntervals does (each local
   * date is resolved on its own there too), remembered per date.
   */
  openings(location: SnapLocation, from: number, to: number): InstantInterval[] {
    let days = this.openDays.get(location.id);
    if (!days) this.openDays.set(location.id, (days = new Map()));
    const out: InstantInterval[] = [];
    const last = localDayOf(location.timeZone, to - 1);
    for (let day = localDayOf(location.timeZone, from); day <= last; day++) {
      let intervals = days.get(day);
      if (!intervals) {
        const date = formatIsoDate(day);
        [{ intervals }] = resolveOpeningHours({
          timeZone: location.timeZone,
          from: date,
          to: date,
          active: true,
          periods: location.periods,
          exceptions: location.exceptions,
          holidays: finnishHolidays(date, date),
          closures: location.closures,
        });
        if (++this.openDayCount > MAX_OPENING_DAYS) {
          this.openDays.clear();
          this.openDayCount = 0;
        }
        days.set(day, intervals);
      }
      // Each day's intervals are sorted and disjoint, and days come in order: clip the ends only.
      for (const i of intervals) {
        if (i.end <= from || i.start >= to) continue;
        out.push(i.start >= from && i.end <= to ? i : { start: Math.max(i.start, from), end: Math.min(i.end, to) });
      }
    }
    return out;
  }
}

/**
 * Holds the current snapshot; loads one when there is none or a search found it out of date.
 *
 * Loads on the pool are shared. A caller inside a transaction passes its `manager`: it then loads
 * on its own connection (sharing only a load that already runs on another transaction's
 * connection), so it never waits for a pooled connection while holding one, and a pool full of
 * booking transactions cannot wait on each other.
 */
@Injectable()
export class SearchSnapshots implements OnApplicationShutdown {
  private readonly logger = new Logger(SearchSnapshots.name);
  private snapshot?: SearchSnapshot;
  private loading?: Promise<SearchSnapshot>;
  private loadingOnConnection?: Promise<SearchSnapshot>;
  private stopped = false;

  /** With a clock, each new snapshot's next days are computed ahead between requests (SearchSnapshot.warmUp). */
  constructor(
    private readonly repo: SlotSearchRepository,
    @Optional() private readonly clock?: Clock,
  ) {}

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  async current(manager?: EntityManager): Promise<SearchSnapshot> {
    return this.snapshot ?? this.load(manager);
  }

  /** A snapshot of at least `version` (the database's, as a search just read it). */
  async newer(version: string, manager?: EntityManager): Promise<SearchSnapshot> {
    if (this.snapshot && BigInt(this.snapshot.version) >= BigInt(version)) return this.snapshot;
    return this.load(manager);
  }

  private load(manager?: EntityManager): Promise<SearchSnapshot> {
    if (manager) {
      // Never joins a pool load: that one may be waiting for a connection this transaction holds.
      this.loadingOnConnection ??= this.read(manager).finally(() => {
        this.loadingOnConnection = undefined;
      });
      return this.loadingOnConnection;
    }
    // One load at a time; every search waiting for a newer snapshot shares it.
    this.loading ??= (this.loadingOnConnection ?? this.read()).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async read(manager?: EntityManager): Promise<SearchSnapshot> {
    const snapshot = new SearchSnapshot(await this.repo.inputs(manager));
    if (!this.snapshot || BigInt(snapshot.version) >= BigInt(this.snapshot.version)) {
      this.snapshot = snapshot;
      if (this.clock) this.warmUp(snapshot, snapshot.warmUp(this.clock.now().getTime()));
    }
    this.logger.debug?.(`slot search inputs loaded (version ${snapshot.version})`);
    return this.snapshot;
  }

  /** Runs the warm-up in slices between other work, until done, replaced by a newer snapshot, or shut down. */
  private warmUp(snapshot: SearchSnapshot, steps: Generator<void>): void {
    nextTurn(() => {
      if (this.stopped || this.snapshot !== snapshot) return;
      const until = performance.now() + WARM_SLICE_MS;
      while (performance.now() < until) if (steps.next().done) return;
      this.warmUp(snapshot, steps);
    });
  }
}

/** A slot as the API writes it: an advisory slot shows its claim's topics and languages. */
export function slotView(snapshot: SearchSnapshot, slot: Slot): SlotView {
  const tutor = snapshot.tutors.get(slot.tutorId)!;
  const claim = slot.claimId === null ? undefined : snapshot.claims.get(slot.claimId);
  const shown = claim ? { displayName: tutor.displayName, topics: claim.topics, languages: claim.languages } : tutor;
  return toView(slot, shown, snapshot.locations.get(slot.locationId)!.timeZone);
}

/** Minutes after midnight → `HH:mm` (1440 → `24:00`), as the engine reads rule times. */
function clock(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}`;
}
