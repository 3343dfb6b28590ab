import type { BookingBenchOptions } from './options';

/**
 * Every measured phase of the booking benchmark, in the order it runs, and what each may consume:
 * one free slot per request. The world is sized from this plan (worldSizeFor), so a phase runs
 * out of slots only if the machine books faster than the rate it was given requests for.
 */

/** Requests a closed-loop HTTP phase is given per second it lasts (the fastest run seen: ≈ 1,450/s). */
export const HTTP_REQUESTS_PER_SECOND = 2_000;
/** Bookings a raw phase is given per second it lasts (the fastest run seen: ≈ 1,250/s). */
export const RAW_BOOKINGS_PER_SECOND = 2_500;

export interface HttpPhaseSpec {
  label: string;
  connections: number;
  seconds: number;
  /** Requests sent (unmeasured) before the phase, each on a slot of its own. */
  warmup: number;
  /** Open loop at this rate; closed loop when absent. */
  ratePerSecond?: number;
  /** The app's pool size during the phase. */
  pool: number;
  /** Probe the app's pg calls and sample pg_stat_activity (the pool sweep). */
  instrument?: boolean;
}

export interface RawPhaseSpec {
  label: string;
  connections: number;
  seconds: number;
  /** Batching of the raw writer, when not the service's. */
  writer?: { maxInFlight: number; maxBatch: number };
  /** false: an unnamed statement, planned every time. */
  prepared?: boolean;
  /** Replay the statements a booking ran outside its transaction (from the census). */
  withOutsideStatements?: boolean;
}

export interface ProfiledPhaseSpec extends HttpPhaseSpec {
  title: string;
  /** Part of the profile's file name. */
  fileTag: string;
}

export interface PhasePlan {
  headline: HttpPhaseSpec[];
  paced?: HttpPhaseSpec;
  /** Requests of the census (one at a time) and the one slot of the conflict (409) census. */
  censusSlots: number;
  sweep: HttpPhaseSpec[];
  raw: RawPhaseSpec[];
  profiled: ProfiledPhaseSpec[];
}

/** The census books this many, one at a time, and then tries one more slot twice over (the 409 path). */
const CENSUS_BOOKINGS = 60;

export function planPhases(opt: BookingBenchOptions): PhasePlan {
  const headline = [16, 64].map((connections) => ({ label: 'HTTP', connections, seconds: opt.seconds, warmup: opt.warmup, pool: opt.pool }));
  if (opt.quick) return { headline: headline.slice(0, 1), censusSlots: 0, sweep: [], raw: [], profiled: [] };
  const pools = [...new Set([opt.pool, ...opt.sweepPools])].sort((a, b) => a - b);
  const sweep = pools.flatMap((pool) =>
    [16, 64].map((connections) => ({
      label: 'sweep',
      connections,
      seconds: opt.shortSeconds,
      // The first phase on the app as it is needs less warm-up than one on a restarted app.
      warmup: pool === opt.pool && connections === 16 ? 100 : 150,
      pool,
      instrument: true,
    })),
  );
  const short = opt.shortSeconds;
  return {
    headline,
    paced: { label: 'HTTP paced', connections: 64, seconds: short, warmup: 50, ratePerSecond: opt.pacedRate, pool: opt.pool },
    censusSlots: CENSUS_BOOKINGS + 1,
    sweep,
    raw: [
      { label: 'raw transaction', connections: 16, seconds: opt.seconds },
      { label: 'raw transaction', connections: 64, seconds: opt.seconds },
      { label: 'raw, one transaction per booking (no batching)', connections: 16, seconds: short, writer: { maxInFlight: 16, maxBatch: 1 } },
      { label: 'raw transaction, unnamed statement (planned every time)', connections: 16, seconds: short, prepared: false },
      { label: 'raw, all statements of a booking on one connection', connections: 16, seconds: short, withOutsideStatements: true },
    ],
    profiled: opt.profile
      ? [
          { title: '16 connections (closed loop, CPU saturated)', fileTag: 'c16', label: 'HTTP (profiled)', connections: 16, seconds: short + 3, warmup: 100, pool: opt.pool },
          { title: `paced ${opt.pacedRate}/s (CPU not saturated)`, fileTag: 'paced', label: 'HTTP (profiled)', connections: 64, seconds: short + 3, warmup: 100, ratePerSecond: opt.pacedRate, pool: opt.pool },
        ]
      : [],
  };
}

/** Requests an HTTP phase is given after its warm-up. */
export function httpRequestBudget(p: HttpPhaseSpec): number {
  return p.ratePerSecond ? Math.ceil(p.seconds * p.ratePerSecond) + 1 : Math.ceil(p.seconds * HTTP_REQUESTS_PER_SECOND);
}

export function rawBookingBudget(p: RawPhaseSpec): number {
  return Math.ceil(p.seconds * RAW_BOOKINGS_PER_SECOND);
}

/** Free slots the whole plan may consume, the stampede's one included. */
export function slotsConsumedAtMost(plan: PhasePlan): number {
  const http = [...plan.headline, ...(plan.paced ? [plan.paced] : []), ...plan.sweep, ...plan.profiled];
  return (
    http.reduce((n, p) => n + p.warmup + httpRequestBudget(p), 0) +
    plan.raw.reduce((n, p) => n + rawBookingBudget(p), 0) +
    plan.censusSlots +
    (plan.raw.length || plan.sweep.length ? 1 : 0)
  );
}

/** Free slots per tutor over the booking window, as the seed's rule shapes give (≈ 103,000 for 400 tutors). */
export const FREE_SLOTS_PER_TUTOR = 250;
/** Share of the free slots booked by SQL before the run, so the tables are not empty. */
export const PREBOOKED_SHARE = 0.08;
/** Room for the estimate of free slots per tutor being high (absences, closures, holidays). */
const MARGIN = 1.1;
const TUTORS_PER_BRANCH = 8;
/** pgbench's clients book as tutors 1…64 (see pgbench.ts). */
const MIN_TUTORS = 64;

export interface WorldSize {
  /** Free slots the plan may consume. */
  consumable: number;
  /** Free slots the world must have (before the pre-booked share is taken). */
  freeSlotsNeeded: number;
  tutors: number;
  branches: number;
  absences: number;
  closures: number;
}

export function worldSizeFor(plan: PhasePlan): WorldSize {
  const consumable = slotsConsumedAtMost(plan);
  const freeSlotsNeeded = Math.ceil((consumable * MARGIN) / (1 - PREBOOKED_SHARE));
  const tutors = Math.max(MIN_TUTORS, Math.ceil(freeSlotsNeeded / FREE_SLOTS_PER_TUTOR));
  const branches = Math.ceil(tutors / TUTORS_PER_BRANCH);
  return { consumable, freeSlotsNeeded, tutors, branches, absences: Math.ceil(tutors * 0.15), closures: Math.ceil(branches * 0.08) };
}
