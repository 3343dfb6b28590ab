import { DAY_MS, MINUTE_MS, isoWeekday, toLocalMs } from '../../common/time/local-time';

/**
 * How many sessions a set of weekly rules offers per local weekday and quarter hour: the slot
 * search uses it only to choose how much time to compute at once (the length of a scope's
 * candidate blocks), never to decide which slots exist, so an out-of-date histogram costs time,
 * not correctness. Pure.
 */

export const BUCKET_MS = 15 * MINUTE_MS;
const BUCKETS_PER_DAY = DAY_MS / BUCKET_MS;
const WEEK_BUCKETS = 7 * BUCKETS_PER_DAY;

export interface RuleShape {
  timeZone: string;
  weekday: number;
  startMinute: number;
  endMinute: number;
  sessionMinutes: number;
  bufferMinutes: number;
}

export class SessionHistogram {
  private constructor(
    /** Zone → sessions starting in each (weekday, quarter hour) of the local week. */
    private readonly zones: ReadonlyMap<string, Float64Array>,
    /** Sessions a week in all. */
    readonly perWeek: number,
  ) {}

  static of(shapes: Iterable<RuleShape>): SessionHistogram {
    const zones = new Map<string, Float64Array>();
    let perWeek = 0;
    for (const r of shapes) {
      const step = r.sessionMinutes + r.bufferMinutes;
      if (!(r.weekday >= 1 && r.weekday <= 7) || !(r.sessionMinutes > 0) || !(step > 0)) continue;
      let buckets = zones.get(r.timeZone);
      if (!buckets) zones.set(r.timeZone, (buckets = new Float64Array(WEEK_BUCKETS)));
      const base = (r.weekday - 1) * BUCKETS_PER_DAY;
      for (let m = r.startMinute; m + r.sessionMinutes <= r.endMinute; m += step) {
        buckets[base + Math.min(BUCKETS_PER_DAY - 1, Math.floor(m / 15))] += 1;
        perWeek++;
      }
    }
    return new SessionHistogram(zones, perWeek);
  }

  /** Expected sessions starting in the quarter hours that begin in [from, to). */
  count(from: number, to: number): number {
    let sum = 0;
    for (let t = Math.ceil(from / BUCKET_MS) * BUCKET_MS; t < to; t += BUCKET_MS) sum += this.at(t);
    return sum;
  }

  /**
   * The end of the shortest window from `from` that holds about `wanted` sessions, in whole
   * quarter hours, at most `limit` (returned when the rules never offer that many before it).
   */
  endFor(from: number, limit: number, wanted: number): number {
    if (this.perWeek === 0 || wanted <= 0) return limit;
    // Whole weeks first (cheap), then quarter hour by quarter hour.
    const weeks = Math.ceil(wanted / this.perWeek) - 1;
    let t = Math.ceil(from / BUCKET_MS) * BUCKET_MS;
    if (weeks >= 1) {
      t += weeks * 7 * DAY_MS;
      wanted -= weeks * this.perWeek;
    }
    let sum = 0;
    for (; t < limit; t += BUCKET_MS) {
      sum += this.at(t);
      if (sum >= wanted) return Math.min(limit, t + BUCKET_MS);
    }
    return limit;
  }

  private at(t: number): number {
    let n = 0;
    for (const [zone, buckets] of this.zones) {
      const local = toLocalMs(zone, t);
      const day = Math.floor(local / DAY_MS);
      n += buckets[(isoWeekday(day) - 1) * BUCKETS_PER_DAY + Math.floor((local - day * DAY_MS) / BUCKET_MS)];
    }
    return n;
  }
}
