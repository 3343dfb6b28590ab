import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startBenchApp } from '../common/bench-app';
import { fixed } from '../common/format';
import type { ActivitySampler } from './activity-sampler';
import type { AppProbe } from './app-probe';
import type { BookingRequests } from './requests';
import type { SlotSupply } from './slot-supply';

/** The app under test, in this process; restarted with another pool size by the sweep. */
export class BenchApp {
  app?: NestFastifyApplication;
  baseUrl = '';
  pool = 0;

  constructor(
    private readonly dbUrl: string,
    /** More of the app's environment (see benchAppConfig). */
    private readonly env: Record<string, string> = {},
  ) {}

  async start(pool: number): Promise<void> {
    if (this.app && pool === this.pool) return;
    await this.stop();
    ({ app: this.app, baseUrl: this.baseUrl } = await startBenchApp(this.dbUrl, pool, this.env));
    this.pool = pool;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    this.app = undefined;
  }
}

/** What every phase of the booking benchmark works with. */
export interface BookingRun {
  dbUrl: string;
  postmasterPid: number | undefined;
  app: BenchApp;
  supply: SlotSupply;
  requests: BookingRequests;
  probe: AppProbe;
  sampler: ActivitySampler;
  log: (line: string) => void;
  /** Phases that ended before their time was up, said plainly (listed again under the targets). */
  shortfalls: string[];
}

/**
 * A phase that used every request it was given before its time was up ran short: because the
 * free slots ran out, or because the machine was faster than the rate the phase was given
 * requests for. Either way its figures cover less time, and it says so.
 */
export function noteShortfall(
  run: BookingRun,
  phase: string,
  o: { given: number; budget: number; sent: number; seconds: number; plannedSeconds: number; perSecondConstant: string },
): void {
  if (o.sent < o.given || o.seconds >= o.plannedSeconds * 0.95) return;
  const why =
    o.given < o.budget
      ? `ran out of free slots (${o.given} of the ${o.budget} it may use were left)`
      : `used all ${o.given} requests it was given (the machine is faster than ${o.perSecondConstant} in bench/bookings/phase-plan.ts allows for)`;
  const line = `${phase} ${why} after ${fixed(o.seconds)} of ${o.plannedSeconds} s${o.sent === 0 ? ': not measured' : ''}`;
  run.shortfalls.push(line);
  run.log(`WARNING: ${line}`);
}
