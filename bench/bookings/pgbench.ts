import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ascending, percentile } from '../common/stats';

/**
 * PostgreSQL alone, for reference: pgbench inserting one booking row per transaction into the
 * real `bookings` table (exclusion constraint, foreign keys and indexes active). Each client
 * books its own tutor (tutor k = client_id + 1, see world-seed's tutorUuid) at a new hour far in
 * the future, so no insert conflicts. References start with 0, which the app never draws.
 */

export interface PgbenchResult {
  clients: number;
  tps: number;
  transactions: number;
  failed: number;
  p50: number;
  p99: number;
  seconds: number;
}

/** pgbench on PATH or in Debian's PostgreSQL packages; undefined when there is none. */
function findPgbench(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'pgbench'))) return path.join(dir, 'pgbench');
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const v of readdirSync(debian).sort().reverse()) {
      const p = path.join(debian, v, 'bin', 'pgbench');
      if (existsSync(p)) return p;
    }
  }
  return undefined;
}

const SCRIPT = `\\set i :i + 1
\\set n :run * 20000000 + :client_id * 200000 + :i
\\set d0 :n % 36 + 1
\\set d1 (:n / 36) % 36 + 1
\\set d2 (:n / 1296) % 36 + 1
\\set d3 (:n / 46656) % 36 + 1
\\set d4 (:n / 1679616) % 36 + 1
\\set h :run * 100000 + :i
INSERT INTO bookings (reference, location_id, tutor_id, topic_id, language, kind, during, status, channel,
                      resident_name, resident_phone, resident_language, created_at, updated_at)
VALUES ('0' || substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', :d4, 1) || substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', :d3, 1) || '-'
          || substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', :d2, 1) || substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', :d1, 1)
          || substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', :d0, 1),
        :loc, ('00000000-0000-4000-8000-' || lpad(to_hex(:client_id + 1), 12, '0'))::uuid, :topic, 'fi', 'tutoring',
        tstzrange(timestamptz '2100-01-01 00:00+00' + make_interval(hours => :h), timestamptz '2100-01-01 00:45+00' + make_interval(hours => :h), '[)'),
        'confirmed', 'web', 'Pgbench Asukas', '+358401234567', 'fi', now(), now());
`;

async function runPgbench(opts: {
  binary: string;
  url: string;
  dir: string;
  clients: number;
  seconds: number;
  run: number;
  locationId: string;
  topicId: string;
}): Promise<PgbenchResult> {
  const u = new URL(opts.url);
  const script = path.join(opts.dir, 'pgbench-booking-insert.sql');
  writeFileSync(script, SCRIPT);
  const prefix = `pgbench-log-${opts.run}`;
  const args = [
    '-n',
    '-M',
    'prepared',
    '-c',
    String(opts.clients),
    '-j',
    '2',
    '-T',
    String(opts.seconds),
    '-f',
    script,
    '-D',
    'i=0',
    '-D',
    `run=${opts.run}`,
    '-D',
    `loc=${opts.locationId}`,
    '-D',
    `topic=${opts.topicId}`,
    '-l',
    `--log-prefix=${path.join(opts.dir, prefix)}`,
    '-h',
    u.hostname,
    '-p',
    u.port,
    '-U',
    decodeURIComponent(u.username),
    u.pathname.slice(1),
  ];
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(opts.binary, args, { env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password), PGAPPNAME: 'bench-pgbench' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`pgbench exited with ${code}:\n${text.trim().split('\n').slice(-8).join('\n')}`))));
  });
  const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? NaN);
  const transactions = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1] ?? NaN);
  const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
  // Per-transaction log lines: client_id transaction_no time_us script_no epoch epoch_us
  const latencies: number[] = [];
  for (const f of readdirSync(opts.dir).filter((f) => f.startsWith(prefix))) {
    for (const line of readFileSync(path.join(opts.dir, f), 'utf8').split('\n')) {
      const us = Number(line.split(' ')[2]);
      if (line && Number.isFinite(us)) latencies.push(us / 1000);
    }
  }
  const sorted = ascending(latencies);
  return { clients: opts.clients, tps, transactions, failed, p50: percentile(sorted, 50), p99: percentile(sorted, 99), seconds: opts.seconds };
}

export interface PgbenchReference {
  binary?: string;
  results: PgbenchResult[];
  /** Why there are no (or fewer) results. */
  note: string;
}

/** pgbench at 16 and 64 clients, when it is installed; its rows go to far-future hours, so it runs last. */
export async function pgbenchReference(o: { url: string; dir: string; seconds: number; locationId: string; topicId: string; log: (line: string) => void }): Promise<PgbenchReference> {
  const binary = findPgbench();
  if (!binary) {
    const note = 'pgbench not found (not on PATH, not in /usr/lib/postgresql/*/bin): skipped';
    o.log(note);
    return { results: [], note };
  }
  const results: PgbenchResult[] = [];
  try {
    for (const [i, clients] of [16, 64].entries()) {
      const r = await runPgbench({ binary, url: o.url, dir: o.dir, clients, seconds: o.seconds, run: i + 1, locationId: o.locationId, topicId: o.topicId });
      results.push(r);
      o.log(`pgbench: ${clients} clients: ${r.tps.toFixed(0)} inserts/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.failed} failed`);
    }
    return { binary, results, note: '' };
  } catch (error) {
    const note = `pgbench failed: ${(error as Error).message}`;
    o.log(note);
    return { binary, results, note };
  }
}
