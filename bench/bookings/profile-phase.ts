import { mkdirSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';
import { CpuProfile, ProfileSummary, summariseCpuProfile } from '../cpuprofile-summary';
import { HttpMeasure, runHttpPhase } from './http-phase';
import type { ProfiledPhaseSpec } from './phase-plan';
import type { BookingRun } from './run-context';

export interface ProfileRun {
  title: string;
  measured: HttpMeasure;
  /** The .cpuprofile, relative to the project root. */
  file: string;
  summary: ProfileSummary;
}

/** HTTP phases under V8's sampling profiler (as node --cpu-prof, in-process), each profile written to .tmp/. */
export async function runProfiledPhases(run: BookingRun, specs: ProfiledPhaseSpec[], projectRoot: string): Promise<ProfileRun[]> {
  if (specs.length === 0) return [];
  const session = new inspector.Session();
  session.connect();
  const call = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))));
  const runs: ProfileRun[] = [];
  try {
    for (const spec of specs) {
      let profile: CpuProfile | undefined;
      const measured = await runHttpPhase(run, spec, {
        async start() {
          await call('Profiler.enable');
          await call('Profiler.setSamplingInterval', { interval: 250 });
          await call('Profiler.start');
        },
        async stop() {
          profile = (await call<{ profile: CpuProfile }>('Profiler.stop')).profile;
        },
      });
      mkdirSync(path.join(projectRoot, '.tmp'), { recursive: true });
      const file = path.join(projectRoot, '.tmp', `bench-bookings-${spec.fileTag}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      runs.push({ title: spec.title, measured, file: path.relative(projectRoot, file), summary: summariseCpuProfile(profile!) });
      run.log(`profile written to ${path.relative(projectRoot, file)}`);
    }
  } finally {
    session.disconnect();
  }
  return runs;
}
