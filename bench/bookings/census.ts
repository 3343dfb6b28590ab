import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { AppProbe, QueryRecord } from './app-probe';
import { BOOKINGS_PATH } from './http-phase';
import type { PostRequest } from './lean-http-client';
import type { ReplayStatement } from './raw-booking-loop';

/**
 * The census: bookings made one at a time on one connection, recording every statement the
 * app's pg connections send for each, labelled by what it is for; then the 409 path (other
 * residents asking for a slot just booked).
 */

export interface CensusRow {
  label: string;
  inTx: boolean;
  perBooking: number;
  meanMs: number;
}

export interface Census {
  bookings: number;
  statements: number;
  inTx: number;
  rows: CensusRow[];
  latencyMs: number;
  txOpenMs: number;
  txBusyMs: number;
  /** Statements of each captured booking that ran outside its transaction (for the raw replay). */
  outside: ReplayStatement[][];
  /** In-transaction statement texts of the first booking. */
  firstTransaction: string[];
  conflict?: { requests: number; statements: number; rows: CensusRow[] };
}

/** Statement → what it is for, by its SQL. First match wins. */
const LABELS: [RegExp, string][] = [
  [/^\s*(START TRANSACTION|BEGIN)/i, 'BEGIN'],
  [/^\s*COMMIT/i, 'COMMIT'],
  [/^\s*ROLLBACK TO SAVEPOINT/i, 'ROLLBACK TO SAVEPOINT'],
  [/^\s*ROLLBACK/i, 'ROLLBACK'],
  [/^\s*RELEASE SAVEPOINT/i, 'RELEASE SAVEPOINT'],
  [/^\s*SAVEPOINT/i, 'SAVEPOINT'],
  [/INSERT INTO rate_limit_counters/, 'rate limit: upsert counter (RateLimiter.consume)'],
  [/pg_try_advisory_xact_lock/, 'idempotency: try advisory lock'],
  [/FROM idempotency_keys WHERE key = \$1/, 'idempotency: stored response?'],
  [/DELETE FROM idempotency_keys WHERE key IN/, 'idempotency: purge expired keys'],
  [/DELETE FROM idempotency_keys/, 'idempotency: delete stale key'],
  [/INSERT INTO idempotency_keys/, 'idempotency: store response'],
  [/pg_advisory_xact_lock/, 'contact advisory lock'],
  [/count\(\*\)::int AS n FROM bookings\s+WHERE location_id/, 'count contact’s active bookings (cap)'],
  [/count\(\*\)::int AS n FROM bookings\s+WHERE tutor_id/, 'week load of candidate tutors'],
  [/FROM locations l JOIN municipalities/, 'location summary (LocationsService.summaries/findByIds)'],
  [/FROM "?topics"? "?t"?\b.*slug = ANY|"t"\."slug"/s, 'topic by slug (TypeORM query builder)'],
  [/FROM tutors WHERE id = ANY/, 'tutor exists'],
  [/FROM tutor_locations tl/, 're-check: tutors (TutorsService.searchTutors)'],
  [/FROM tutor_topics tt JOIN topics/, 're-check: tutors’ topics'],
  [/FROM availability_rules|availability_rules r/, 're-check: weekly rules'],
  [/location_hour_periods|location_hour_intervals/, 're-check: weekly opening hours'],
  [/FROM location_exceptions/, 're-check: date exceptions'],
  [/FROM location_closures/, 're-check: closures'],
  [/FROM tutor_absences/, 're-check: absences'],
  [/lower\(during\) AS start, upper\(during\) AS "end" FROM bookings/, 're-check: active bookings overlapping'],
  [/INSERT INTO bookings/, 'insert booking'],
  [/INSERT INTO booking_events/, 'insert booking event'],
  [/FROM bookings b\s+JOIN tutors t/, 'read booking back (findById)'],
];

function labelOf(text: string): string {
  for (const [re, label] of LABELS) if (re.test(text)) return label;
  return text.replace(/\s+/g, ' ').trim().slice(0, 70);
}

/** A statement's text on one line, for comparing the raw loop's statements with the app's. */
export const normalisedSql = (text: string) => text.replace(/\s+/g, ' ').trim();

interface Answer {
  status: number;
  body: string;
}

/** One POST through node:http, its status and body. */
function post(agent: http.Agent, url: URL, r: PostRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': Buffer.byteLength(r.body), ...r.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

/** `requests` one at a time, then `conflicting()` (requests for one slot, the first books it) for the 409 path. */
export async function takeCensus(base: string, probe: AppProbe, requests: PostRequest[], conflicting: () => PostRequest): Promise<Census> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(BOOKINGS_PATH, base);
  const perBooking: QueryRecord[][] = [];
  let latency = 0;
  probe.reset();
  probe.enabled = true;
  probe.capture = true;
  for (const r of requests) {
    const mark = probe.records.length;
    const t0 = performance.now();
    const answer = await post(agent, url, r);
    latency += performance.now() - t0;
    if (answer.status !== 201) throw new Error(`census request answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    perBooking.push(probe.records.slice(mark).sort((a, b) => a.at - b.at));
  }
  const totals = { ...probe.totals };
  // The 409 path: the same slot again, by other residents.
  const first = await post(agent, url, conflicting());
  const conflictRecords: QueryRecord[][] = [];
  let conflict: Census['conflict'];
  if (first.status === 201) {
    for (let i = 0; i < 5; i++) {
      const mark = probe.records.length;
      const answer = await post(agent, url, conflicting());
      if (answer.status !== 409) break;
      conflictRecords.push(probe.records.slice(mark).sort((a, b) => a.at - b.at));
    }
    if (conflictRecords.length) conflict = { requests: conflictRecords.length, statements: conflictRecords.flat().length, rows: censusRows(conflictRecords) };
  }
  probe.enabled = false;
  probe.capture = false;
  agent.destroy();
  const flat = perBooking.flat();
  return {
    bookings: perBooking.length,
    statements: flat.length,
    inTx: flat.filter((r) => r.inTx).length,
    rows: censusRows(perBooking),
    latencyMs: latency / requests.length,
    txOpenMs: totals.txOpenMs / Math.max(1, totals.tx),
    txBusyMs: totals.inTxQueryMs / Math.max(1, totals.tx),
    outside: perBooking.map((recs) => recs.filter((r) => !r.inTx).map((r) => ({ text: r.text, values: r.values }))),
    firstTransaction: perBooking[0].filter((r) => r.inTx).map((r) => r.text),
    conflict,
  };
}

function censusRows(groups: QueryRecord[][]): CensusRow[] {
  const rows = new Map<string, { inTx: boolean; n: number; ms: number; order: number }>();
  for (const recs of groups) {
    recs.forEach((r, i) => {
      const label = labelOf(r.text);
      const k = `${r.inTx ? 'tx' : 'pool'}|${label}`;
      const row = rows.get(k) ?? { inTx: r.inTx, n: 0, ms: 0, order: i };
      row.n++;
      row.ms += r.ms;
      row.order = Math.min(row.order, i);
      rows.set(k, row);
    });
  }
  return [...rows]
    .sort((a, b) => a[1].order - b[1].order)
    .map(([k, r]) => ({ label: k.split('|')[1], inTx: r.inTx, perBooking: r.n / groups.length, meanMs: r.ms / r.n }));
}
