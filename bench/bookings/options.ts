import { parseArgs } from 'node:util';

/**
 * npm run bench:bookings -- [--seconds 10] [--short-seconds 5] [--warmup 2000] [--pool 20]
 *   [--sweep-pools 10,40] [--stampede 500] [--paced-rate 50] [--no-key] [--skip-profile] [--quick]
 *   [--dir .tmp/x] [--keep]
 */
export interface BookingBenchOptions {
  /** Length of the headline HTTP phases and of the raw phases at 16 and 64 connections. */
  seconds: number;
  /** Length of the paced, sweep, raw-variant and (plus 3 s) profiled phases. */
  shortSeconds: number;
  /** Warm-up requests before each headline HTTP phase. */
  warmup: number;
  /** The app's database pool size, and the sweep's other sizes. */
  pool: number;
  sweepPools: number[];
  /** Simultaneous requests for one slot. */
  stampede: number;
  /** Requests per second of the paced (open-loop) phase. */
  pacedRate: number;
  /** Send an Idempotency-Key with every booking (as the resident pages do). */
  key: boolean;
  /** Stop after the 16-connection HTTP phase: for trying a change, not for the record. */
  quick: boolean;
  profile: boolean;
  /** Folder of the run's PostgreSQL (a kept folder starts over with a fresh database). */
  dir?: string;
  keep: boolean;
}

export function parseBookingBenchOptions(args: string[] = process.argv.slice(2)): BookingBenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      seconds: { type: 'string', default: '10' },
      'short-seconds': { type: 'string', default: '5' },
      warmup: { type: 'string', default: '2000' },
      pool: { type: 'string', default: '20' },
      'sweep-pools': { type: 'string', default: '10,40' },
      stampede: { type: 'string', default: '500' },
      'paced-rate': { type: 'string', default: '50' },
      'no-key': { type: 'boolean', default: false },
      'skip-profile': { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      dir: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const positive = (name: string, text: string | undefined): number => {
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${text}`);
    return n;
  };
  return {
    seconds: positive('seconds', values.seconds),
    shortSeconds: positive('short-seconds', values['short-seconds']),
    warmup: Math.floor(positive('warmup', values.warmup)),
    pool: Math.floor(positive('pool', values.pool)),
    sweepPools: (values['sweep-pools'] ?? '')
      .split(',')
      .map((s) => Number(s.trim()))
      .filter((n) => Number.isInteger(n) && n > 0),
    stampede: Math.floor(positive('stampede', values.stampede)),
    pacedRate: positive('paced-rate', values['paced-rate']),
    key: !values['no-key'],
    quick: values.quick ?? false,
    profile: !values['skip-profile'],
    dir: values.dir,
    keep: values.keep ?? false,
  };
}
