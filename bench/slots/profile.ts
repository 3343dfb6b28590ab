import { mkdirSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';
import { CpuProfile, formatProfileSummary, summariseCpuProfile } from '../cpuprofile-summary';

/**
 * Runs `work` under V8's sampling profiler (as node --cpu-prof, in-process, this thread only: the
 * app's), writes the profile to `file` and returns its printed summary.
 */
export async function profiled(file: string, work: () => Promise<unknown>, top = 20): Promise<string> {
  const session = new inspector.Session();
  session.connect();
  const call = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))));
  try {
    await call('Profiler.enable');
    await call('Profiler.setSamplingInterval', { interval: 250 });
    await call('Profiler.start');
    let profile: CpuProfile;
    try {
      await work();
    } finally {
      ({ profile } = await call<{ profile: CpuProfile }>('Profiler.stop'));
    }
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    return `profile written to ${file}\n${formatProfileSummary(summariseCpuProfile(profile), top)}`;
  } finally {
    session.disconnect();
  }
}
