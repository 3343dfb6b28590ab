import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import { BookableSlotsService } from '../src/modules/slots/bookable-slots.service';
import { benchAppConfig } from './common/bench-app';
import { ActivitySampler } from './bookings/activity-sampler';
import { AppProbe } from './bookings/app-probe';
import { nodeFlagsLine, serverSettings } from './bookings/bench-database';
import { takeCensus } from './bookings/census';
import { cpuDelta, cpuSnapshot } from './bookings/cpu-usage';
import { HttpMeasure, runHttpPhase } from './bookings/http-phase';
import { parseBookingBenchOptions } from './bookings/options';
import { pgbenchReference } from './bookings/pgbench';
import { planPhases, worldSizeFor } from './bookings/phase-plan';
import { runProfiledPhases } from './bookings/profile-phase';
import { RawMeasure, runRawPhase } from './bookings/raw-phase';
import { printReport } from './bookings/report';
import { BookingRequests } from './bookings/requests';
import { startBenchStack } from './bookings/bench-stack';
import { BookingRun } from './bookings/run-context';
import { runStampede } from './bookings/stampede';
import { recycledWalSegments } from './bookings/wal';
import { prepareWorld } from './bookings/world';

/**
 * npm run bench:bookings -- [options, see bookings/options.ts]
 *
 * POST /bookings throughput and where the time goes, on an embedded PostgreSQL of its own in a
 * throw-away folder (.tmp/bench-bookings-<pid>, removed afterwards unless --keep):
 *   1. HTTP bookings/s at 16 and 64 keep-alive connections (distinct residents, distinct free slots);
 *   2. the same SQL from a plain pg Pool ("raw"), and every statement of a booking on one connection;
 *   3. pgbench inserting one booking row (when pgbench is installed);
 *   4. the one-slot stampede;
 *   5. targets with PASS/MISS (exit 0 either way: targets live here, not in tests);
 *   6. statements per booking (census), pool-size sweep and CPU profiles of the app (written to .tmp/).
 * --quick stops after the 16-connection HTTP phase: for trying a change, not for the record.
 * The world is sized from the phases (bookings/phase-plan.ts), so no phase runs out of free slots.
 * The app runs in this process with raised rate limits; the load runs in a worker thread.
 */

const SEED = 'tukiaika-bench-bookings';
/** WAL segments made ready before the run: ≈ 2.8 kB per booking, ≈ 90,000 bookings at ≈ 1,000/s, 16 MB each. */
const WAL_SEGMENTS_AHEAD = 16;

async function main(): Promise<void> {
  const started = Date.now();
  const opt = parseBookingBenchOptions();
  const projectRoot = path.join(__dirname, '..', '..');
  const root = path.resolve(opt.dir ?? path.join(projectRoot, '.tmp', `bench-bookings-${process.pid}`));
  const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);

  console.log('Booking benchmark: POST /api/v1/bookings');
  console.log(nodeFlagsLine(projectRoot));
  const load0 = os.loadavg();
  console.log(`PostgreSQL: embedded, in ${root}${opt.keep ? ' (kept)' : ' (removed afterwards)'}`);
  const { database, app, admin, samplerClient, stop: stopAll } = await startBenchStack(root, opt.keep);

  try {
    const pm = database.postmasterPid;
    // How busy the machine is without us (other processes, kernel threads), over one second.
    const idle0 = cpuSnapshot(pm);
    await new Promise((r) => setTimeout(r, 1000));
    const background = cpuDelta(idle0, cpuSnapshot(pm));
    await admin.connect();
    await samplerClient.connect();
    const server = await serverSettings(admin);

    const plan = planPhases(opt);
    const size = worldSizeFor(plan);
    await app.start(opt.pool);
    const prepared = await prepareWorld(admin, app.app!.get(BookableSlotsService), size, SEED, new Date());
    // As pgbench does before a run: the bulk load's cleanup (autovacuum, dirty buffers) is not
    // left to happen inside the first measured phase.
    await admin.query('VACUUM ANALYZE');
    await admin.query('CHECKPOINT');
    const walReady = await recycledWalSegments(admin, WAL_SEGMENTS_AHEAD);
    const { supply, world } = prepared;
    // The census's and the stampede's slots first: no phase before them can use them up.
    const censusSlots = supply.take(plan.censusSlots);
    const [stampedeSlot] = plan.raw.length ? supply.take(1) : [];
    log(
      `seeded ${size.branches} branches, ${size.tutors} tutors, ${prepared.rules} weekly rules; ${prepared.freeSlots} free slots in the next 58 days, ` +
        `${prepared.prebooked} of them booked beforehand (SQL); ${supply.left} left for phases that may use ${size.consumable - plan.censusSlots - (stampedeSlot ? 1 : 0)}; ` +
        `${walReady} WAL segments ready for reuse`,
    );

    const run: BookingRun = {
      dbUrl: database.url,
      postmasterPid: pm,
      app,
      supply,
      requests: new BookingRequests(opt.key, world.topicIdBySlug),
      probe: new AppProbe(),
      sampler: new ActivitySampler(samplerClient),
      log,
      shortfalls: [],
    };
    run.probe.install();
    if (supply.left < size.consumable - plan.censusSlots - (stampedeSlot ? 1 : 0)) {
      run.shortfalls.push(`the world has fewer free slots than the phases may use (FREE_SLOTS_PER_TUTOR in bench/bookings/phase-plan.ts is too high)`);
      log(`WARNING: ${run.shortfalls[0]}`);
    }

    const headline: HttpMeasure[] = [];
    for (const spec of plan.headline) headline.push(await runHttpPhase(run, spec));
    const paced = plan.paced && (await runHttpPhase(run, plan.paced));

    let census;
    if (censusSlots.length) {
      const [conflictSlot, ...booked] = censusSlots;
      census = await takeCensus(
        app.baseUrl,
        run.probe,
        booked.map((s) => run.requests.http(s)),
        () => run.requests.http(conflictSlot),
      );
      log(`census: ${(census.statements / census.bookings).toFixed(1)} statements per booking (${(census.inTx / census.bookings).toFixed(1)} inside the transaction)`);
    }

    const sweep: HttpMeasure[] = [];
    for (const spec of plan.sweep) sweep.push(await runHttpPhase(run, spec));
    await app.start(opt.pool);

    const { bookingWriters, bookingBatch } = benchAppConfig(database.url, opt.pool).database;
    const serviceWriter = { maxInFlight: bookingWriters, maxBatch: bookingBatch };
    const raw: RawMeasure[] = [];
    for (const spec of plan.raw) raw.push(await runRawPhase(run, spec, serviceWriter, census?.outside ?? []));

    const stampede = stampedeSlot && (await runStampede(run, admin, stampedeSlot, opt.stampede));
    const profiles = await runProfiledPhases(run, plan.profiled, projectRoot);

    // pgbench last: it leaves its rows in far-future hours.
    await app.stop();
    const pgbench = opt.quick
      ? undefined
      : await pgbenchReference({ url: database.url, dir: root, seconds: opt.seconds, locationId: world.locationIds[0], topicId: [...world.topicIdBySlug.values()][0], log });

    printReport({
      writer: serviceWriter,
      load: [load0, os.loadavg()],
      background: background.others + background.irq + background.steal,
      opt,
      seed: SEED,
      pgVersion: server.version,
      settings: server.settings,
      world: { ...size, rules: prepared.rules, freeSlots: prepared.freeSlots, prebooked: prepared.prebooked },
      headline,
      paced,
      census,
      sweep,
      raw,
      pgbench,
      stampede,
      shortfalls: run.shortfalls,
      profiles,
    });
    console.log(`\nwhole benchmark: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await stopAll();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
