import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProblemException } from '../problem/problem.exception';
import { Clock } from '../time/clock';

/**
 * Fixed-window counters kept in PostgreSQL, so every app instance shares them.
 * `consume` counts one hit and throws 429 `rate-limited` with Retry-After past the limit.
 */
@Injectable()
export class RateLimiter {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async consume(key: string, limit: number, windowSeconds: number): Promise<void> {
    const now = this.clock.now().getTime();
    const windowMs = windowSeconds * 1000;
    const windowStart = new Date(Math.floor(now / windowMs) * windowMs);
    const rows: { hits: number }[] = await this.db.query(
      `INSERT INTO rate_limit_counters (key, window_start, hits) VALUES ($1, $2, 1)
       ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1
       RETURNING hits`,
      [key, windowStart],
    );
    if (Math.random() < 0.01) await this.purgeBefore(new Date(now - 86_400_000 - windowMs));
    if (rows[0].hits > limit) {
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
