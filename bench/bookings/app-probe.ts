import { performance } from 'node:perf_hooks';
import pg from 'pg';

/**
 * Instruments, from the outside, the app running in this process (npm run bench:bookings): the
 * `pg` client's query and the pool's connect (only connections with application_name
 * `tukiaika`, i.e. the app's TypeORM pool). No app file is changed: the
 * prototypes are wrapped at run time, and the wrappers cost nothing while `enabled` is false.
 */

export interface QueryRecord {
  /** When the query was sent (performance.now()). */
  at: number;
  ms: number;
  text: string;
  values: unknown[] | undefined;
  /** Sent on a connection inside START TRANSACTION … COMMIT/ROLLBACK. */
  inTx: boolean;
}

export interface ProbeTotals {
  /** Time spent in statements sent inside a transaction. */
  inTxQueryMs: number;
  /** Completed transactions; open = START TRANSACTION sent → COMMIT/ROLLBACK answered. */
  tx: number;
  txOpenMs: number;
  /** Time waiting for a pooled connection. */
  poolWaitMs: number;
}

interface ConnState {
  inTx: boolean;
  txStart: number;
}

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
type ConnectFn = (this: pg.Pool, ...args: unknown[]) => unknown;

/** application_name of the app's pool (TypeORM's connections). */
export const APP_NAME = 'tukiaika';
const BEGIN = /^\s*(START TRANSACTION|BEGIN)\b/i;
const END = /^\s*(COMMIT|ROLLBACK)\s*$/i;
const SINGLE_STATEMENT_TX = /^\s*SELECT \* FROM place_bookings?\(/;

export class AppProbe {
  enabled = false;
  /** Keep every query (text, values, timing): for the per-booking census at low concurrency. */
  capture = false;
  records: QueryRecord[] = [];
  totals: ProbeTotals = AppProbe.zero();
  private readonly conns = new WeakMap<object, ConnState>();
  private installed = false;

  static zero(): ProbeTotals {
    return { inTxQueryMs: 0, tx: 0, txOpenMs: 0, poolWaitMs: 0 };
  }

  reset(): void {
    this.records = [];
    this.totals = AppProbe.zero();
  }

  install(): void {
    if (this.installed) return;
    this.installed = true;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const probe = this;

    const clientProto = pg.Client.prototype as unknown as { query: QueryFn };
    const query = clientProto.query;
    clientProto.query = function (this: pg.Client, ...args: unknown[]): unknown {
      if (!probe.enabled || (this as unknown as { connectionParameters?: { application_name?: string } }).connectionParameters?.application_name !== APP_NAME) {
        return query.apply(this, args);
      }
      const first = args[0];
      const text = typeof first === 'string' ? first : String((first as { text?: string } | undefined)?.text ?? '');
      const values = Array.isArray(args[1]) ? (args[1] as unknown[]) : (first as { values?: unknown[] } | undefined)?.values;
      let state = probe.conns.get(this);
      if (!state) {
        state = { inTx: false, txStart: 0 };
        probe.conns.set(this, state);
      }
      const at = performance.now();
      // A statement that is a whole transaction by itself (the booking's place_bookings) counts as one.
      const single = !state.inTx && SINGLE_STATEMENT_TX.test(text);
      if (BEGIN.test(text) || single) {
        state.inTx = true;
        state.txStart = at;
      }
      const inTx = state.inTx;
      const ending = inTx && (single || END.test(text));
      const s = state;
      const done = () => {
        const end = performance.now();
        const ms = end - at;
        const t = probe.totals;
        if (inTx) t.inTxQueryMs += ms;
        if (ending) {
          t.tx++;
          t.txOpenMs += end - s.txStart;
          s.inTx = false;
        }
        if (probe.capture) probe.records.push({ at, ms, text, values, inTx });
      };
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        args[args.length - 1] = (...cbArgs: unknown[]) => {
          done();
          return (last as (...a: unknown[]) => unknown)(...cbArgs);
        };
        return query.apply(this, args);
      }
      const result = query.apply(this, args);
      if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
      return result;
    };

    const poolProto = pg.Pool.prototype as unknown as { connect: ConnectFn };
    const connect = poolProto.connect;
    poolProto.connect = function (this: pg.Pool, ...args: unknown[]): unknown {
      if (!probe.enabled || (this as unknown as { options?: { application_name?: string } }).options?.application_name !== APP_NAME) {
        return connect.apply(this, args);
      }
      const at = performance.now();
      const record = () => {
        const ms = performance.now() - at;
        probe.totals.poolWaitMs += ms;
      };
      const cb = args[0];
      if (typeof cb === 'function') {
        return connect.call(this, (...cbArgs: unknown[]) => {
          record();
          return (cb as (...a: unknown[]) => unknown)(...cbArgs);
        });
      }
      const result = connect.apply(this, args);
      if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(record, record);
      return result;
    };
  }
}
