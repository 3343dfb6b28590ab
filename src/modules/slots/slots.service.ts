import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, Page } from '../../common/http/pagination';
import { ProblemException } from '../../common/problem/problem.exception';
import { Clock } from '../../common/time/clock';
import { DAY_MS, EARLIEST_ZONE, LATEST_ZONE, MINUTE_MS, isoWeekday, localDayOf, toLocalMs } from '../../common/time/local-time';
import { LocationsService } from '../locations/locations.service';
import { TopicsService } from '../topics/topics.service';
import { isLanguageCode } from '../tutors/languages';
import { SlotQueryDto, SlotView } from './dto/slot.dto';
import { bookingWindow, Slot } from './engine';
import { rangeIn, SearchRange, searchRange } from './search-range';
import { Scope, ScopeClaim, SearchSnapshot, SearchSnapshots, SnapLocation, ZoneRules } from './search-snapshot';
import { cmp, compareSlots, KINDS, MAX_ATTEMPTS } from './slot-common';
import { SlotSearchRepository } from './slot-search.repository';

type Cursor = [number, string, string];
const isCursor = (v: unknown): v is Cursor =>
  Array.isArray(v) && v.length === 3 && typeof v[0] === 'number' && typeof v[1] === 'string' && typeof v[2] === 'string';

type Outcome = { page: Page<SlotView> } | { staleBefore: string };

/**
 * Slot search. Branches, hours, tutors and rules come from an in-memory snapshot (see
 * search-snapshot.ts), and so do the engine's candidate slots, computed in blocks of time kept
 * with the snapshot. The search walks them earliest first and stops when it has a page: each
 * batch of candidates costs one statement that reads the active bookings and absences of their
 * tutors together with the inputs' version, and a search whose snapshot turns out to be old
 * starts again on a fresh one. Unknown filters are checked only when nothing matched. What a
 * booking may take is BookableSlotsService.
 */
@Injectable()
export class SlotsService {
  private municipalityCodes?: Set<string>;

  constructor(
    private readonly clock: Clock,
    private readonly locations: LocationsService,
    private readonly topics: TopicsService,
    private readonly searchRepo: SlotSearchRepository,
    private readonly snapshots: SearchSnapshots,
  ) {}

  async search(q: SlotQueryDto): Promise<Page<SlotView>> {
    const now = this.clock.now().getTime();
    const range = searchRange(q.from, q.to, now);
    const limit = q.limit ?? 50;
    const after = q.cursor ? decodeCursor(q.cursor, isCursor) : undefined;
    // The cheap checks now; those that need the database only when nothing matched.
    if ((q.municipality && !(await this.municipalities()).has(q.municipality)) || (q.language && !isLanguageCode(q.language))) {
      await this.assertFilters(q);
      return { items: [], nextCursor: null };
    }
    let snapshot = await this.snapshots.current();
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.searchIn(snapshot, q, range, limit, after, now, attempt === MAX_ATTEMPTS);
      if ('page' in outcome) {
        if (outcome.page.items.length === 0) await this.assertFilters(q, snapshot);
        return outcome.page;
      }
      snapshot = await this.snapshots.newer(outcome.staleBefore);
    }
  }

  /**
   * Names of active partner organisations by id from the current search inputs, which are at
   * least as new as those any search that has returned checked: enough to name the partners of
   * slots just found, without another read.
   */
  async partnerNamesSeen(): Promise<ReadonlyMap<string, { fi: string; sv: string; en: string }>> {
    return (await this.snapshots.current()).partners;
  }

  /** Names of active partner organisations by id, from search inputs at least as new as the database's. */
  async partnerNames(): Promise<ReadonlyMap<string, { fi: string; sv: string; en: string }>> {
    return (await this.snapshots.newer(await this.searchRepo.version())).partners;
  }

  /** One search on one snapshot; `staleBefore` when the database has newer inputs (unless `last`). */
  private async searchIn(
    snapshot: SearchSnapshot,
    q: SlotQueryDto,
    range: SearchRange,
    limit: number,
    after: Cursor | undefined,
    now: number,
    last: boolean,
  ): Promise<Outcome> {
    const scope = snapshot.scope({ kinds: KINDS, slotKind: q.kind, locationId: q.locationId, municipality: q.municipality, topic: q.topic, language: q.language });
    // Each branch's own bounds (dates in its zone, its policy) apply in the cursor; the walk covers
    // them all. No branch takes a start past the local day after today + its maxDaysAhead.
    const from = Math.max(rangeIn(range, EARLIEST_ZONE).from, now + scope.minNoticeMinutes * MINUTE_MS, after ? after[0] : -Infinity);
    const end = Math.min(rangeIn(range, LATEST_ZONE).to, now + (scope.maxDaysAhead + 2) * DAY_MS);
    const candidates = new CandidateCursor(snapshot, scope, range, from, end, now, (start) => this.block(snapshot, scope, start));
    const found: Slot[] = [];
    let checked = false;
    let ratio = scope.freeRatio;
    let batches = 0;
    while (scope.rules > 0 || scope.claims.length > 0) {
      const needed = Math.ceil(((limit + 1 - found.length) / ratio) * BATCH_MARGIN);
      const batch = candidates.take(needed);
      if (batch.length === 0) break;
      // A batch of candidates in search order: one statement reads what could take them.
      const position = new Map<string, number>();
      let until = 0;
      for (const s of batch) {
        if (!position.has(s.tutorId)) position.set(s.tutorId, position.size);
        until = Math.max(until, s.end.getTime());
      }
      const busy = await this.searchRepo.busy([...position.keys()], batch[0].start.getTime(), until);
      checked = true;
      if (busy.version !== snapshot.version && !last) return { staleBefore: busy.version };
      let free = 0;
      for (const s of batch) {
        const spans = busy.spans[position.get(s.tutorId)!];
        if (spans && overlapsPair(spans, s.start.getTime(), s.end.getTime())) continue;
        free++;
        if (!after || isAfter(s, after)) found.push(s);
      }
      if (found.length > limit) break;
      // The share found free sizes the next batch; the first batch's share, the next search's
      // (replacing the initial guess outright: a wrong guess would size several searches' batches).
      ratio = Math.min(1, Math.max(0.05, free / batch.length));
      if (batches++ === 0) {
        scope.freeRatio = scope.freeRatioMeasured ? Math.min(1, Math.max(0.05, 0.7 * scope.freeRatio + 0.3 * ratio)) : ratio;
        scope.freeRatioMeasured = true;
      }
    }
    if (!checked) {
      // Nothing needed the bookings, but "no slots" must still come from current inputs.
      const { version } = await this.searchRepo.busy([], now, now + 1);
      if (version !== snapshot.version && !last) return { staleBefore: version };
    }
    const page = found.slice(0, limit);
    const lastSlot = page[page.length - 1];
    return {
      page: {
        items: page.map((s) => snapshot.view(s)),
        nextCursor: found.length > limit ? encodeCursor([lastSlot.start.getTime(), lastSlot.locationId, lastSlot.tutorId] satisfies Cursor) : null,
      },
    };
  }

  /**
   * The scope's candidate block from `start`: its branches' candidate slots (SearchSnapshot.branchDay)
   * starting in it that the scope takes, in search order. They do not depend on the time of the
   * search (no booking policy yet): the cursor applies each branch's policy and the query's range
   * for the search's own `now`, so one block serves every search of the scope.
   */
  private block(snapshot: SearchSnapshot, scope: Scope, start: number): Slot[] {
    const to = start + scope.blockMs;
    return snapshot.candidateBlock(scope, start, () => {
      const branches = new Set<SnapLocation>();
      for (const zone of scope.zones) branchesWithRulesIn(zone, start, to, branches);
      for (const { location } of claimsIn(scope, start, to)) branches.add(location);
      const list: Slot[] = [];
      // Slots gathered from many branches' days are copied: the scope's blocks are walked on every
      // search, and slots allocated together are read faster. A few branches' days are read as they are.
      const copy = branches.size > COPY_ABOVE_BRANCHES;
      for (const location of branches) {
        const { tutors, claims } = scope.branches.get(location)!;
        const lastDay = localDayOf(location.timeZone, to - 1);
        for (let day = localDayOf(location.timeZone, start); day <= lastDay; day++) {
          const slots = snapshot.branchDay(location, day);
          for (let i = firstAtOrAfter(slots, start); i < slots.length; i++) {
            const s = slots[i];
            if (s.start.getTime() >= to) break;
            if (s.claimId === null ? tutors.has(s.tutorId) : claims.has(s.claimId)) list.push(copy ? { ...s } : s);
          }
        }
      }
      return list.sort(compareSlots);
    });
  }

  /**
   * Unknown location, municipality, topic or language in the query → 422 naming it. An active
   * branch or topic of `checked` (search inputs a search has just found current) is known without
   * asking the database.
   */
  private async assertFilters(q: SlotQueryDto, checked?: SearchSnapshot): Promise<void> {
    if (q.locationId && !checked?.locations.has(q.locationId) && !(await this.locations.summaries([q.locationId])).has(q.locationId)) {
      throw ProblemException.validation('locationId', 'unknown-location', 'No location has this id.');
    }
    if (q.municipality && !(await this.municipalities()).has(q.municipality)) {
      throw ProblemException.validation('municipality', 'unknown-municipality', 'No municipality has this code.');
    }
    if (q.topic && !checked?.topics.has(q.topic) && !(await this.topics.findBySlugs([q.topic])).has(q.topic)) {
      throw ProblemException.validation('topic', 'unknown-topic', 'No topic has this slug.');
    }
    if (q.language && !isLanguageCode(q.language)) {
      throw ProblemException.validation('language', 'unknown-language', 'language must be an ISO 639-1 code.');
    }
  }

  /** The municipality list is data shipped by a migration: read it once. */
  private async municipalities(): Promise<Set<string>> {
    this.municipalityCodes ??= new Set((await this.locations.municipalities()).items.map((m) => m.code));
    return this.municipalityCodes;
  }
}

/** A block with slots of more branches than this holds copies of them (see SlotsService.block). */
const COPY_ABOVE_BRANCHES = 8;

/** A batch holds this many times the candidates the share found free predicts the page needs: one more statement costs more than a few more candidates. */
const BATCH_MARGIN = 1.1;

/**
 * Walks the scope's candidate blocks from the first start at or after `from` up to `end`, a block
 * at a time and only as far as asked, keeping the starts each branch admits for this search: in
 * the range (dates in the branch's zone), at or after now + minimum notice, and no later than
 * its last bookable date. A search that stops early computes and looks at no more blocks.
 */
class CandidateCursor {
  private blockStart: number;
  private list: Slot[] = [];
  private next = 0;
  /** By branch policy class: the starts this search admits, [from, to). */
  private readonly bounds: ({ from: number; to: number } | undefined)[] = [];

  constructor(
    private readonly snapshot: SearchSnapshot,
    private readonly scope: Scope,
    private readonly range: SearchRange,
    private readonly from: number,
    private readonly end: number,
    private readonly now: number,
    private readonly block: (start: number) => Slot[],
  ) {
    this.blockStart = Math.floor(from / scope.blockMs) * scope.blockMs;
  }

  /** Up to `count` more candidates, in search order; none when the walk reached `end`. */
  take(count: number): Slot[] {
    const out: Slot[] = [];
    while (out.length < count) {
      if (this.next >= this.list.length) {
        if (!(this.blockStart < this.end)) break;
        this.list = this.block(this.blockStart);
        this.next = this.blockStart < this.from ? firstAtOrAfter(this.list, this.from) : 0;
        this.blockStart += this.scope.blockMs;
        continue;
      }
      const s = this.list[this.next++];
      const t = s.start.getTime();
      const location = this.snapshot.locations.get(s.locationId)!;
      const bound = this.bounds[location.policyClass] ?? this.boundOf(location);
      if (t >= bound.from && t < bound.to) out.push(s);
    }
    return out;
  }

  private boundOf(location: SnapLocation): { from: number; to: number } {
    const inZone = rangeIn(this.range, location.timeZone);
    const policy = bookingWindow(location.timeZone, this.now, { minNoticeMinutes: location.minNoticeMinutes, maxDaysAhead: location.maxDaysAhead });
    const bound = { from: Math.max(inZone.from, policy.earliestStart), to: Math.min(inZone.to, policy.latestStartExclusive) };
    this.bounds[location.policyClass] = bound;
    return bound;
  }
}

/** Index of the first slot starting at or after `from` in a list in search order. */
function firstAtOrAfter(list: Slot[], from: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].start.getTime() < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when [start, end) overlaps one of the half-open pairs. */
function overlapsPair(spans: number[], start: number, end: number): boolean {
  for (let i = 0; i < spans.length; i += 2) if (spans[i] < end && spans[i + 1] > start) return true;
  return false;
}

function isAfter(s: Slot, [start, locationId, tutorId]: Cursor): boolean {
  return s.start.getTime() - start > 0 || (s.start.getTime() === start && (cmp(s.locationId, locationId) || cmp(s.tutorId, tutorId)) > 0);
}

/** The scope's claims that could give a slot starting in [lo, hi) (by start: stops at the first starting at or after hi). */
function claimsIn(scope: Scope, lo: number, hi: number): ScopeClaim[] {
  const out: ScopeClaim[] = [];
  for (const c of scope.claims) {
    if (c.claim.start >= hi) break;
    if (c.claim.end > lo) out.push(c);
  }
  return out;
}

/** Local wall-clock slack for the rule prefilter: DST moves wall times by at most an hour. */
const PREFILTER_SLACK_MS = 2 * 3_600_000;

/**
 * Adds to `out` the zone's branches with a rule that could give a slot starting in [lo, hi): one
 * with an occurrence whose first start is before `hi` and whose last possible start is at or
 * after `lo`, in local wall-clock time with some slack (the engine decides exactly). Windows of
 * about a week or more take every branch with a rule.
 */
function branchesWithRulesIn(zone: ZoneRules, lo: number, hi: number, out: Set<SnapLocation>): void {
  if (hi - lo >= 6 * DAY_MS) {
    for (let wd = 1; wd <= 7; wd++) for (const r of zone.byWeekday[wd]) out.add(r.location);
    return;
  }
  const from = toLocalMs(zone.timeZone, lo) - PREFILTER_SLACK_MS;
  const to = toLocalMs(zone.timeZone, hi) + PREFILTER_SLACK_MS;
  for (let day = Math.floor(from / DAY_MS); day * DAY_MS < to; day++) {
    const base = day * DAY_MS;
    // Sorted by start: stop at the first rule that starts too late.
    for (const r of zone.byWeekday[isoWeekday(day)]) {
      if (base + r.rule.startMinute * MINUTE_MS >= to) break;
      if (base + (r.rule.endMinute - r.rule.sessionMinutes) * MINUTE_MS >= from) out.add(r.location);
    }
  }
}
