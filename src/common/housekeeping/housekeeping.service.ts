import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Clock } from '../time/clock';
import { IDEMPOTENCY_TTL_MS, MANAGE_TOKEN_RETENTION_MS, RATE_COUNTER_RETENTION_MS } from './retention';

export interface HousekeepingResult {
  idempotencyKeys: number;
  rateLimitCounters: number;
  /** Bookings whose encrypted manage token was erased. */
  manageTokens: number;
}

const BATCH = 1000;

/**
 * Deletes what has expired: Idempotency-Key answers older than 24 hours, rate-limit counters a
 * day past their window, and the encrypted manage tokens of bookings no message needs any more. The job worker runs it on a pg-boss schedule (every
 * TUKIAIKA_HOUSEKEEPING_SECONDS, 0 = off), once in the cluster per tick, not inside each booking:
 * the booking statement stays one short transaction, and a purge that finds nothing to delete is
 * not paid for by every resident.
 * Expired rows do no harm while they wait: the booking statement treats a key older than 24 hours
 * as unknown. Batches lock with SKIP LOCKED, so passes that overlap do not wait for each other.
 */
@Injectable()
export class Housekeeping implements OnApplicationShutdown {
  private running?: Promise<HousekeepingResult>;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** One pass; a pass already running is joined rather than started twice. */
  runOnce(): Promise<HousekeepingResult> {
    this.running ??= this.purge().finally(() => (this.running = undefined));
    return this.running;
  }

  private async purge(): Promise<HousekeepingResult> {
    const now = this.clock.now().getTime();
    const keysBefore = new Date(now - IDEMPOTENCY_TTL_MS);
    const countersBefore = new Date(now - RATE_COUNTER_RETENTION_MS - this.config.rateLimit.windowSeconds * 1000);
    return {
      idempotencyKeys: await this.inBatches(
        `DELETE FROM idempotency_keys WHERE key = ANY (ARRAY(
           SELECT key FROM idempotency_keys WHERE created_at <= $1 ORDER BY created_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED))`,
        keysBefore,
      ),
      rateLimitCounters: await this.inBatches(
        `DELETE FROM rate_limit_counters WHERE ctid = ANY (ARRAY(
           SELECT ctid FROM rate_limit_counters WHERE window_start < $1 LIMIT ${BATCH} FOR UPDATE SKIP LOCKED))`,
        countersBefore,
      ),
      manageTokens: await this.inBatches(
        `UPDATE bookings SET manage_token_encrypted = NULL WHERE id = ANY (ARRAY(
           SELECT b.id FROM bookings b
           WHERE b.manage_token_encrypted IS NOT NULL AND (upper(b.during) < $1 OR b.status = 'cancelled')
             AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.booking_id = b.id AND m.status IN ('queued', 'failed'))
           LIMIT ${BATCH} FOR UPDATE SKIP LOCKED))`,
        new Date(now - MANAGE_TOKEN_RETENTION_MS),
      ),
    };
  }

  /** Repeats a batch statement until a batch comes back short; returns how many rows it changed. */
  private async inBatches(sql: string, before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted] = (await this.db.query(sql, [before])) as [unknown, number];
      total += deleted;
      if (deleted < BATCH) return total;
    }
  }
}
