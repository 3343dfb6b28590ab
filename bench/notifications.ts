import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BookableSlotsService } from '../src/modules/slots/bookable-slots.service';
import { fixed } from './common/format';
import { ActivitySampler } from './bookings/activity-sampler';
import { AppProbe } from './bookings/app-probe';
import { nodeFlagsLine } from './bookings/bench-database';
import { HttpMeasure, runHttpPhase } from './bookings/http-phase';
import { FREE_SLOTS_PER_TUTOR, HttpPhaseSpec, PREBOOKED_SHARE, worldSizeFor } from './bookings/phase-plan';
import { BookingRequests } from './bookings/requests';
import { startBenchStack } from './bookings/bench-stack';
import { BookingRun } from './bookings/run-context';
import { prepareWorld } from './bookings/world';
import { sharedNow, startMailCounter } from './notifications/mail-counter';
import { outboxDrained, queueHeldReminders, releaseReminders, reminderStatuses, sentSince } from './notifications/reminders';

/**
 * npm run bench:notifications -- [--messages 10000] [--seconds 20] [--warmup 500] [--pool 20] [--dir .tmp/x] [--keep]
 *
 * Reminders falling due at once, delivered by the app's own job worker (Outbox) to a local SMTP
 * server while POST /bookings runs at 16 connections, on an embedded PostgreSQL of its own in a
 * throw-away folder (.tmp/bench-notifications-<pid>, removed afterwards unless --keep):
 *   1. the booking world of bench:bookings; `--messages` of its bookings get an e-mail reminder
 *      each, held back;
 *   2. POST /bookings at 16 connections for `--seconds` (p99 without the burst);
 *   3. the same load again, the reminders made due at the moment it starts (p99 during the burst),
 *      once the outbox has delivered the confirmations of the bookings before;
 *   4. reminders delivered per second, from that moment to the last one's arrival at the SMTP
 *      server, each counted there by its Message-ID (all arrived, none twice).
 * Targets live here, not in tests, so it exits 0 whether they are met or not.
 */

const SEED = 'tukiaika-bench-notifications';
const TARGET_PER_SECOND = 200;
const CONNECTIONS = 16;
/** How long the reminders left after the loaded phase may take to arrive. */
const DELIVERY_TIMEOUT_MS = 600_000;

async function main(): Promise<void> {
  const started = Date.now();
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '10000' },
      seconds: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '500' },
      pool: { type: 'string', default: '20' },
      dir: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const messages = Number(values.messages);
  const seconds = Number(values.seconds);
  const pool = Number(values.pool);
  const projectRoot = path.join(__dirname, '..', '..');
  const root = path.resolve(values.dir ?? path.join(projectRoot, '.tmp', `bench-notifications-${process.pid}`));
  const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);

  console.log(`Notifications benchmark: ${messages} reminders due at once, delivered over SMTP while POST /api/v1/bookings runs at ${CONNECTIONS} connections`);
  console.log(nodeFlagsLine(projectRoot));
  console.log(`PostgreSQL: embedded, in ${root}${values.keep ? ' (kept)' : ' (removed afterwards)'}`);
  console.log(`${os.cpus().length} CPUs; load average before: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (other processes on the machine skew the figures)`);
  const mail = await startMailCounter();
  // Texts (the load's confirmations) go to files in the run's folder.
  const stack = await startBenchStack(root, values.keep, { TUKIAIKA_SMTP_URL: mail.url, TUKIAIKA_MAIL_FROM: 'digituki@kirjasto.example.fi', TUKIAIKA_DATA_DIR: path.join(root, 'data') });
  const { database, app, admin, samplerClient } = stack;
  const stopAll = async () => {
    await stack.stop();
    await mail.close().catch(() => undefined);
  };

  try {
    await admin.connect();
    await samplerClient.connect();
    const phase = (label: string): HttpPhaseSpec => ({ label, connections: CONNECTIONS, seconds, warmup: Number(values.warmup), pool });
    const phases = [phase('without the burst'), phase('during the burst')];
    // Enough tutors that the bookings made beforehand (by SQL) hold every reminder.
    const size = worldSizeFor({ headline: phases, censusSlots: 0, sweep: [], raw: [], profiled: [] });
    size.tutors = Math.max(size.tutors, Math.ceil((messages * 1.3) / (FREE_SLOTS_PER_TUTOR * PREBOOKED_SHARE)));
    size.branches = Math.ceil(size.tutors / 8);
    await app.start(pool);
    const prepared = await prepareWorld(admin, app.app!.get(BookableSlotsService), size, SEED, new Date());
    const reminders = await queueHeldReminders(admin, messages);
    await admin.query('VACUUM ANALYZE');
    await admin.query('CHECKPOINT');
    log(`seeded ${size.branches} branches, ${size.tutors} tutors; ${prepared.prebooked} bookings made beforehand, ${reminders.length} of them with a reminder held back; ${prepared.supply.left} free slots left`);
    if (reminders.length < messages) log(`WARNING: only ${reminders.length} bookings to remind of, not ${messages}`);

    const run: BookingRun = {
      dbUrl: database.url,
      postmasterPid: database.postmasterPid,
      app,
      supply: prepared.supply,
      requests: new BookingRequests(true, prepared.world.topicIdBySlug),
      probe: new AppProbe(),
      sampler: new ActivitySampler(samplerClient),
      log,
      shortfalls: [],
    };

    const quiet = await runHttpPhase(run, phases[0]);
    let releasedAt = 0;
    let dueAt = new Date(0);
    const loaded = await runHttpPhase(run, phases[1], {
      start: async () => {
        // The reminders do not queue behind the confirmations of the loads before.
        log(`outbox drained of the earlier confirmations in ${fixed(await outboxDrained(admin, DELIVERY_TIMEOUT_MS))} s`);
        releasedAt = sharedNow();
        dueAt = await releaseReminders(admin, reminders);
      },
      stop: async () => undefined,
    });
    const loadEndedAt = sharedNow();
    const arrived = () => reminders.reduce((n, id) => n + (mail.arrivals.has(id) ? 1 : 0), 0);
    const arrivedUnderLoad = arrived();
    while (arrived() < reminders.length && sharedNow() - releasedAt < DELIVERY_TIMEOUT_MS) await new Promise((r) => setTimeout(r, 100));
    // Late duplicates (a resend) would come in now.
    await new Promise((r) => setTimeout(r, 1000));
    const statuses = await reminderStatuses(admin, reminders);
    const sentMeanwhile = await sentSince(admin, dueAt);
    printReport({ messages: reminders.length, arrived: arrived(), arrivedUnderLoad, reminders, mail, releasedAt, loadEndedAt, quiet, loaded, statuses, sentMeanwhile });
    console.log(`\nwhole benchmark: ${((Date.now() - started) / 1000).toFixed(0)} s; ${os.cpus().length} CPUs; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (1/5/15 min)`);
  } finally {
    await stopAll();
  }
}

function printReport(r: {
  messages: number;
  arrived: number;
  /** Reminders that had arrived when the loaded phase ended. */
  arrivedUnderLoad: number;
  reminders: string[];
  mail: { arrivals: Map<string, number>; lastArrivalMs: number };
  releasedAt: number;
  loadEndedAt: number;
  quiet: HttpMeasure;
  loaded: HttpMeasure;
  statuses: Record<string, number>;
  /** All the outbox sent since the reminders fell due, by channel (until the report). */
  sentMeanwhile: Record<string, number>;
}): void {
  const mine = new Set(r.reminders);
  const twice = r.reminders.filter((id) => (r.mail.arrivals.get(id) ?? 0) > 1).length;
  const others = [...r.mail.arrivals.entries()].filter(([id]) => !mine.has(id)).reduce((n, [, k]) => n + k, 0);
  const deliverySeconds = (r.mail.lastArrivalMs - r.releasedAt) / 1000;
  const perSecond = r.arrived === r.messages ? r.messages / deliverySeconds : NaN;
  const ratio = r.loaded.p99 / r.quiet.p99;
  console.log('\nResults');
  console.log(`  reminders delivered: ${r.arrived} of ${r.messages} arrived at the SMTP server, ${twice} of them more than once; outbox rows: ${JSON.stringify(r.statuses)}${others ? `; ${others} other e-mails` : ''}`);
  console.log(`  delivery: ${fixed(deliverySeconds)} s from due to the last arrival: ${fixed(perSecond, 0)} messages/s`);
  const all = Object.values(r.sentMeanwhile).reduce((a, b) => a + b, 0);
  console.log(`  the outbox sent ${all} messages since the reminders fell due (${Object.entries(r.sentMeanwhile).map(([ch, n]) => `${ch} ${n}`).join(', ')}; the bookings' confirmations are texts, written to files)`);
  if (r.mail.lastArrivalMs < r.loadEndedAt) {
    console.log(`  (the burst ended ${fixed((r.loadEndedAt - r.mail.lastArrivalMs) / 1000)} s before the load did: the loaded p99 also covers time without it)`);
  } else {
    const underLoad = (r.loadEndedAt - r.releasedAt) / 1000;
    console.log(`  while POST /bookings ran (${fixed(underLoad)} s): ${r.arrivedUnderLoad} reminders arrived, ${fixed(r.arrivedUnderLoad / underLoad, 0)} messages/s`);
    console.log(`  (the burst outlasted the load by ${fixed((r.mail.lastArrivalMs - r.loadEndedAt) / 1000)} s)`);
  }
  console.log(`  POST /bookings at ${CONNECTIONS} connections without the burst: ${fixed(r.quiet.rps, 0)} bookings/s, p99 ${fixed(r.quiet.p99)} ms`);
  console.log(`  POST /bookings at ${CONNECTIONS} connections during the burst:  ${fixed(r.loaded.rps, 0)} bookings/s, p99 ${fixed(r.loaded.p99)} ms`);
  console.log(`  booking p99 during / without the burst: ${fixed(ratio, 2)}`);
  const complete = r.arrived === r.messages && twice === 0;
  console.log('\nTargets');
  console.log(`  ${perSecond >= TARGET_PER_SECOND ? 'PASS' : 'MISS'}  reminders delivered ≥ ${TARGET_PER_SECOND}/s: ${fixed(perSecond, 0)}/s`);
  console.log(`  ${complete ? 'PASS' : 'MISS'}  every reminder arrived, none twice: ${r.arrived} of ${r.messages}, ${twice} twice`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
