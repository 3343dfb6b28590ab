import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProblemException } from '../problem/problem.exception';
import { Clock } from '../time/clock';

export interface RateLimit {
  key: string;
  limit: number;
}

/** The fixed window an instant falls in, and the seconds left in it (Retry-After). */
export interface RateWindow {
  start: Date;
  retryAfterSeconds: number;
}

/**
 * Fixed-window counters kept in PostgreSQL (an UNLOGGED table: a crash forgets them, harmlessly),
 * so every app instance shares them. `consume` counts one hit per key (all keys in one statement,
 * the SQL function consume_rate_limits in sql/, whose statement decide_booking runs too) and
 * throws 429 `rate-limited` with Retry-After when any key is past its limit. Old counters are
 * deleted by Housekeeping.
 */
@Injectable()
export class RateLimiter {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async consume(key: string, limit: number, windowSeconds: number): Promise<void> {
    await this.consumeAll([{ key, limit }], windowSeconds);
  }

  async consumeAll(limits: RateLimit[], windowSeconds: number): Promise<void> {
    if (limits.length === 0) return;
    const window = this.window(windowSeconds);
    const keys = [...new Set(limits.map((l) => l.key))];
    const rows: { key: string; hits: number }[] = await this.db.query(
      `SELECT counter_key AS key, counter_hits AS hits FROM consume_rate_limits($1::text[], $2)`,
      [keys, window.start],
    );
    const hits = new Map(rows.map((r) => [r.key, r.hits]));
    if (limits.some((l) => (hits.get(l.key) ?? 0) > l.limit)) throw RateLimiter.refusal(window);
  }

  /**
   * Counts without adding a hit: for each key, the current window's hits plus the previous
   * window's, weighted by how much of the previous window still lies within one window length
   * of now (a sliding window, so a limit does not double across a window boundary).
   */
  async slidingCounts(keys: string[], windowSeconds: number): Promise<Map<string, number>> {
    const window = this.window(windowSeconds);
    const previousStart = new Date(window.start.getTime() - windowSeconds * 1000);
    const rows: { key: string; windowStart: Date; hits: number }[] = await this.db.query(
      `SELECT key, window_start AS "windowStart", hits FROM rate_limit_counters WHERE key = ANY($1::text[]) AND window_start = ANY($2::timestamptz[])`,
      [keys, [window.start, previousStart]],
    );
    const elapsed = (this.clock.now().getTime() - window.start.getTime()) / (windowSeconds * 1000);
    const counts = new Map(keys.map((k) => [k, 0]));
    for (const row of rows) {
      const current = row.windowStart.getTime() === window.start.getTime();
      counts.set(row.key, (counts.get(row.key) ?? 0) + slidingShare(row.hits, current, elapsed));
    }
    // A failure partly inside the last window-length still counts as one.
    for (const [key, count] of counts) counts.set(key, Math.ceil(count));
    return counts;
  }

  /** Adds one hit to each key in the current window, refusing nothing. */
  async record(keys: string[], windowSeconds: number): Promise<void> {
    await this.db.query(`SELECT 1 FROM consume_rate_limits($1::text[], $2)`, [keys, this.window(windowSeconds).start]);
  }

  /** The current window of this length. */
  window(windowSeconds: number): RateWindow {
    const now = this.clock.now().getTime();
    const windowMs = windowSeconds * 1000;
    const start = Math.floor(now / windowMs) * windowMs;
    return { start: new Date(start), retryAfterSeconds: Math.max(1, Math.ceil((start + windowMs - now) / 1000)) };
  }

  /** The 429 answer. */
  static refusal(window: RateWindow): ProblemException {
    return new ProblemException('rate-limited', 'Too many attempts. Try again later.', undefined, {
      'retry-after': String(window.retryAfterSeconds),
    });
  }
}

/** What a window's hits count now: all of the current window's, a fading share of the previous one's. */
export function slidingShare(hits: number, current: boolean, elapsedFraction: number): number {
  return current ? hits : hits * Math.max(0, 1 - elapsedFraction);
}
