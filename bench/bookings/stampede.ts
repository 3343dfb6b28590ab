import type { Client } from 'pg';
import { ACTIVE_STATUSES } from '../../src/modules/bookings/rules/booking-status';
import { cpuSnapshot } from './cpu-usage';
import { GcRecorder, GcTotals } from './gc-recorder';
import { BOOKINGS_PATH, statusText } from './http-phase';
import { postLoadInWorker, PostLoadResult } from './post-load';
import type { BookingRun } from './run-context';
import type { BenchSlot } from './slot-supply';

export interface StampedeMeasure {
  requests: number;
  result: PostLoadResult;
  /** Active bookings on the slot afterwards (exactly one is right). */
  held: number;
  cpu: { main: number; process: number; postgres: number };
  gc: GcTotals;
}

/** `requests` simultaneous requests, by distinct residents on their own connections, for one slot. */
export async function runStampede(run: BookingRun, admin: Client, slot: BenchSlot, requests: number): Promise<StampedeMeasure> {
  const wire = Array.from({ length: requests }, () => run.requests.http(slot));
  const gc = new GcRecorder();
  gc.start();
  const cpu0 = cpuSnapshot(run.postmasterPid);
  const result = await postLoadInWorker({ baseUrl: run.app.baseUrl, path: BOOKINGS_PATH, requests: wire, concurrency: requests, maxSeconds: 60, burst: true });
  const cpu1 = cpuSnapshot(run.postmasterPid);
  const gcTotals = await gc.stop();
  const held = (
    await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM bookings WHERE tutor_id = $1 AND during && tstzrange($2, $3) AND status = ANY($4)`, [
      slot.tutorId,
      new Date(slot.startMs),
      new Date(slot.endMs),
      [...ACTIVE_STATUSES],
    ])
  ).rows[0].n;
  run.log(`stampede: ${requests} requests for one slot in ${result.seconds.toFixed(2)} s ${statusText(result.statuses)}; active bookings on the slot: ${held}`);
  return { requests, result, held, cpu: { main: cpu1.main - cpu0.main, process: cpu1.process - cpu0.process, postgres: cpu1.postgres - cpu0.postgres }, gc: gcTotals };
}
