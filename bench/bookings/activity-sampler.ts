import type pg from 'pg';
import { APP_NAME } from './app-probe';

/** Average number of the app's connections in each state over a phase. */
export interface ConnectionStates {
  active: number;
  idleInTx: number;
  idle: number;
}

const zero = (): ConnectionStates => ({ active: 0, idleInTx: 0, idle: 0 });

/** Samples pg_stat_activity of the app's connections: how many are active, idle in a transaction, idle. */
export class ActivitySampler {
  private timer?: NodeJS.Timeout;
  private busy = false;
  private samples = 0;
  private sums = zero();

  constructor(
    private readonly client: pg.Client,
    private readonly intervalMs = 25,
  ) {}

  start(): void {
    this.samples = 0;
    this.sums = zero();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 5));
  }

  averages(): ConnectionStates {
    const n = Math.max(1, this.samples);
    return { active: this.sums.active / n, idleInTx: this.sums.idleInTx / n, idle: this.sums.idle / n };
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const { rows } = await this.client.query<{ state: string | null; n: number }>(
        `SELECT state, count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 GROUP BY 1`,
        [APP_NAME],
      );
      this.samples++;
      for (const r of rows) {
        if (r.state === 'active') this.sums.active += r.n;
        else if (r.state === 'idle in transaction') this.sums.idleInTx += r.n;
        else if (r.state === 'idle') this.sums.idle += r.n;
      }
    } catch {
      // the sampler is best effort
    } finally {
      this.busy = false;
    }
  }
}
