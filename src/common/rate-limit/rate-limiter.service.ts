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
