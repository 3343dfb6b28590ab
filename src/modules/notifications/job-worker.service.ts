import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { PgBoss } from 'pg-boss';
import { DataSource } from 'typeorm';
import { Housekeeping } from '../../common/housekeeping/housekeeping.service';
import { AppConfig, APP_CONFIG } from '../../config/app-config';
import { safeError } from './delivery-rules';
import { Outbox } from './outbox.service';

/** The channel booking_event_messages() notifies when it writes messages. */
export const MESSAGES_CHANNEL = 'tukiaika_messages';

/** A pg-boss queue with its schedule (cron, UTC) and what a job of it does. */
export interface ScheduledJob {
  queue: string;
  cron: string;
  run: () => Promise<unknown>;
}

/** `*\/n * * * *` for an interval in seconds (whole minutes, at least one; hourly from an hour). */
export function cronEvery(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  return minutes >= 60 ? '0 * * * *' : `*/${minutes} * * * *`;
}

/**
 * The job worker: pg-boss in the app's PostgreSQL (schema `pgboss`) holds the schedules, so each
 * tick runs once in the cluster however many instances work (queues of policy `singleton`: one
 * job active at a time). Jobs: delivering the outbox every minute (messages due, retries,
 * reminders), deleting finished messages after 30 days (daily) and the housekeeping purge. Besides the schedule, the worker listens for the
 * triggers' NOTIFY and delivers at once, so a confirmation does not wait for the next minute.
 *
 * It runs inside the app unless TUKIAIKA_WORKERS=false, and alone with `npm run worker`.
 */
@Injectable()
export class JobWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('JobWorker');
  private boss?: PgBoss;
  private listener?: Client;

  constructor(
    private readonly db: DataSource,
    private readonly outbox: Outbox,
    private readonly housekeeping: Housekeeping,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The schedules this worker keeps. */
  jobs(): ScheduledJob[] {
    const jobs: ScheduledJob[] = [
      { queue: 'deliver-messages', cron: '* * * * *', run: () => this.outbox.deliverDue() },
      { queue: 'purge-messages', cron: '40 3 * * *', run: () => this.outbox.purgeFinished() },
    ];
    if (this.config.housekeepingSeconds > 0) jobs.push({ queue: 'housekeeping', cron: cronEvery(this.config.housekeepingSeconds), run: () => this.housekeeping.runOnce() });
    return jobs;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.notifications.workers) await this.start();
  }

  async start(): Promise<void> {
    const url = (this.db.options as { url: string }).url;
    const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 3, application_name: 'tukiaika-jobs' });
    boss.on('error', (error: unknown) => this.logger.error(`pg-boss: ${safeError(error)}`));
    await boss.start();
    this.boss = boss;
    for (const job of this.jobs()) {
      await boss.createQueue(job.queue, { policy: 'singleton', retryLimit: 0, expireInSeconds: 15 * 60 });
      await boss.schedule(job.queue, job.cron, null, { tz: 'UTC' });
      await boss.work(job.queue, { pollingIntervalSeconds: 10 }, async () => {
        await job.run();
      });
    }
    this.listener = new Client({ connectionString: url, application_name: 'tukiaika-jobs-listen' });
    this.listener.on('notification', () => this.deliverNow());
    this.listener.on('error', (error) => this.logger.error(`listener: ${safeError(error)}`));
    await this.listener.connect();
    await this.listener.query(`LISTEN ${MESSAGES_CHANNEL}`);
    if (!this.config.server.publicUrl) this.logger.warn('TUKIAIKA_PUBLIC_URL is not set: links in messages point at this host and port, which residents may not reach');
    this.logger.log(`job worker started: ${this.jobs().map((j) => `${j.queue} (${j.cron})`).join(', ')}; mail to ${this.outbox.mail.description}, texts to ${this.outbox.sms.description}`);
    this.deliverNow();
  }

  private deliverNow(): void {
    this.outbox.deliverDue().catch((error: unknown) => this.logger.error(`delivery failed: ${safeError(error)}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.end().catch(() => undefined);
    await this.boss?.stop({ graceful: true, timeout: 10_000 }).catch(() => undefined);
    this.listener = undefined;
    this.boss = undefined;
  }
}
