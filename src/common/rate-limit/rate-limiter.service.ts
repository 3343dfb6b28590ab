import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProblemException } from '../problem/problem.exception';
import { Clock } from '../time/clock';

export interface RateLimit {
  key: string;
  limit: number;
}

/**
 * Fixed-window counters kept in PostgreSQL, so every app instance shares them.
 * `consume` counts one hit per key (all keys in one statement) and throws 429 `rate-limited`
 * with Retry-After when any key is past its limit.
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
    const now = this.clock.now().getTime();
    const windowMs = windowSeconds * 1000;
    const windowStart = new Date(Math.floor(now / windowMs) * windowMs);
    const keys = [...new Set(limits.map((l) => l.key))];
    const rows: { key: string; hits: number }[] = await this.db.query(
      `INSERT INTO rate_limit_counters (key, window_start, hits)
       SELECT k, $2, 1 FROM unnest($1::text[]) AS k ORDER BY k
       ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1
       RETURNING key, hits`,
      [keys, windowStart],
    );
    if (Math.random() < 0.01) await this.purgeBefore(new Date(now - 86_400_000 - windowMs));
    const hits = new Map(rows.map((r) => [r.key, r.hits]));
    if (limits.some((l) => (hits.get(l.key) ?? 0) > l.limit)) {
      const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now) / 1000));
      throw new ProblemException('rate-limited', 'Too many attempts. Try again later.', undefined, {
        'retry-after': String(retryAfter),
      });
    }
  }

  private async purgeBefore(instant: Date): Promise<void> {
    await this.db.query(`DELETE FROM rate_limit_counters WHERE window_start < $1`, [instant]);
  }
}
