import { readFileSync } from 'node:fs';

/**
 * Aggregates a V8 .cpuprofile (node --cpu-prof, or the inspector's Profiler.stop) by function,
 * by package and by area of the booking request (HTTP server, Nest pipeline, validation,
 * TypeORM, pg, app code…). Self time = samples whose top frame is the function.
 *
 *   node dist/bench/cpuprofile-summary.js .tmp/bench-bookings-….cpuprofile [top]
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Share {
  name: string;
  ms: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  /** Self time by function (name, package, file:line). */
  byFunction: Share[];
  /** Self time by package (node_modules package, node internals, app folders, GC…). */
  byPackage: Share[];
  /** Self time by area of the request path; builtins and node internals are charged to the package or app code that called them. */
  byArea: Share[];
  /** Inclusive time of chosen entry points (synchronous stacks only: time under awaits is not counted). */
  inclusive: Share[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

export function packageOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (SPECIAL.has(functionName)) return functionName;
    return '(V8 builtins)';
  }
  if (url.startsWith('node:')) {
    const m = /^node:(?:internal\/)?([^/]+)/.exec(url);
    return `node:${m ? m[1] : url.slice(5)}`;
  }
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const app = /\/dist\/src\/(modules\/[^/]+|common\/[^/]+|[^/]+)/.exec(url);
  if (app) return `app:${app[1].replace(/\.js$/, '')}`;
  if (/\/dist\/bench\//.test(url)) return 'bench';
  return url.replace(/^file:\/\//, '');
}

/** The request path's areas, for "where the time goes". */
export function areaOf(pkg: string, frame: CallFrame): string {
  const fn = frame.functionName;
  if (pkg === '(idle)') return 'idle (event loop waiting)';
  if (pkg === '(garbage collector)') return 'garbage collection';
  if (pkg === '(program)' || pkg === '(root)') return 'V8/native (program)';
  if (/validation\.pipe/.test(frame.url) || ['class-validator', 'class-transformer', 'libphonenumber-js', 'validator'].includes(pkg) || /\/common\/http\/validation|\/bookings\/(contact|instants)\.js/.test(frame.url)) {
    return 'validation (ValidationPipe, class-validator/-transformer, libphonenumber)';
  }
  if (pkg.startsWith('@nestjs/') || pkg === 'rxjs' || pkg === 'reflect-metadata' || pkg === 'path-to-regexp') return 'Nest pipeline (router, guard, pipes, interceptors)';
  if (['fastify', 'find-my-way', 'avvio', 'light-my-request', 'fast-json-stringify', 'secure-json-parse', 'fast-querystring', 'process-warning', 'abstract-logging', 'pino', 'toad-cache', 'fast-decode-uri-component', 'rfdc'].includes(pkg) || pkg.startsWith('@fastify/')) {
    return 'Fastify';
  }
  if (['node:http', 'node:_http_server', 'node:_http_common', 'node:_http_outgoing', 'node:_http_incoming', 'node:net', 'node:stream', 'node:streams', 'node:http_parser', 'node:stream_base_commons', 'node:dns', 'node:events'].includes(pkg)) {
    return 'node http/net/streams/events';
  }
  if (pkg === 'typeorm') return 'TypeORM';
  if (['pg', 'pg-protocol', 'pg-pool', 'pg-types', 'postgres-array', 'postgres-date', 'postgres-interval', 'postgres-bytea', 'pg-connection-string', 'pgpass', 'pg-int8', 'split2', 'buffer-writer', 'packet-reader'].includes(pkg)) return 'pg driver';
  if (pkg === 'app:modules/slots' || pkg === 'app:modules/locations' || pkg === 'app:modules/tutors' || pkg === 'app:common/time' || pkg === 'luxon' || pkg === 'date-holidays' || /^(date-|caldate|astronomia)/.test(pkg)) {
    return 'slot re-check (engine, opening hours, holidays, time zones)';
  }
  if (pkg.startsWith('app:')) return 'app: bookings, problem filter, other';
  if (pkg === 'node:crypto' || (pkg === '(V8 builtins)' && /^(randomBytes|createHmac|createHash|digest|update|timingSafeEqual)$/.test(fn))) return 'crypto';
  if (pkg === '(V8 builtins)' && /^(parse|stringify)$/.test(fn)) return 'JSON parse/stringify';
  if (pkg === 'node:timers' || pkg === 'node:process' || pkg === 'node:async_hooks') return 'node timers/promises/async hooks';
  if (pkg === '(V8 builtins)' || pkg.startsWith('node:')) return 'node/V8 with no package on the stack (event loop, microtasks, sockets)';
  if (pkg === 'bench') return 'bench harness (in-process probes)';
  return `other (${pkg})`;
}

const ENTRY_POINTS: RegExp[] = [
  /^ValidationPipe\.transform|^transform .*validation\.pipe/,
  /^(BookService\.)?create .*book\.service/,
  /^(BookableSlotsService\.)?freeSlotsFor /,
  /^computeSlots /,
  /^(PostgresQueryRunner\.)?query .*PostgresQueryRunner/,
  /^(Client\.)?query .*pg\/lib\/client/,
  /^(Parser\.)?parse .*pg-protocol/,
  /^(ProblemFilter\.)?catch /,
  /^resolveOpeningHours /,
  /^finnishHolidays /,
  /^(Serializer|serialize|stringify)/,
];

function key(frame: CallFrame, pkg: string): string {
  const file = frame.url.replace(/^.*\/node_modules\//, '').replace(/^.*\/dist\//, 'dist/').replace(/^file:\/\//, '');
  return `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : `[${pkg}]`}`;
}

/**
 * `exclude`: samples with a frame from such a URL anywhere in their stack are left out (by
 * default the inspector's own work, e.g. Profiler.stop when the profile was taken in-process).
 */
export function summariseCpuProfile(profile: CpuProfile, exclude: RegExp = /^node:inspector/): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const excluded = new Map<number, boolean>();
  const isExcluded = (id: number): boolean => {
    let v = excluded.get(id);
    if (v === undefined) {
      const p = parent.get(id);
      v = exclude.test(byId.get(id)!.callFrame.url) || (p !== undefined && isExcluded(p));
      excluded.set(id, v);
    }
    return v;
  };
  // V8 builtins and node internals (socket writes, streams, events) are charged to the nearest
  // package or app frame below them on the stack: the pg driver's writev counts as pg's.
  const charged = new Map<number, [string, CallFrame]>();
  const chargedFrame = (id: number): [string, CallFrame] => {
    let v = charged.get(id);
    if (!v) {
      const frame = byId.get(id)!.callFrame;
      const pkg = packageOf(frame);
      const p = parent.get(id);
      // JSON and crypto keep their own lines.
      const own = (pkg === '(V8 builtins)' && /^(parse|stringify)$/.test(frame.functionName)) || pkg === 'node:crypto';
      const internal = !own && (pkg === '(V8 builtins)' || pkg.startsWith('node:'));
      if (internal && p !== undefined) {
        const up = chargedFrame(p);
        v = SPECIAL.has(up[0]) ? [pkg, frame] : up;
      } else {
        v = [pkg, frame];
      }
      charged.set(id, v);
    }
    return v;
  };
  const selfById = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    if (isExcluded(profile.samples[i])) continue;
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    selfById.set(profile.samples[i], (selfById.get(profile.samples[i]) ?? 0) + dt);
    total += dt;
  }
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const byArea = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let idle = 0;
  for (const [id, ms] of selfById) {
    const node = byId.get(id)!;
    const pkg = packageOf(node.callFrame);
    if (pkg === '(idle)') idle += ms;
    const k = key(node.callFrame, pkg);
    byFunction.set(k, (byFunction.get(k) ?? 0) + ms);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
    const area = areaOf(...chargedFrame(id));
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const kk = key(f, packageOf(f));
      if (seen.has(kk) || !ENTRY_POINTS.some((re) => re.test(kk))) continue;
      seen.add(kk);
      inclusive.set(kk, (inclusive.get(kk) ?? 0) + ms);
    }
  }
  const sorted = (m: Map<string, number>) => [...m].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
  return { totalMs: total, idleMs: idle, byFunction: sorted(byFunction), byPackage: sorted(byPackage), byArea: sorted(byArea), inclusive: sorted(inclusive) };
}

export function formatProfileSummary(s: ProfileSummary, top = 25): string {
  const busy = s.totalMs - s.idleMs;
  const line = (x: Share) => `${x.ms.toFixed(0).padStart(8)} ms ${((100 * x.ms) / busy).toFixed(1).padStart(5)}%  ${x.name}`;
  const notIdle = (x: Share) => x.name !== '(idle)' && !x.name.startsWith('idle ') && !x.name.startsWith('(idle)');
  const out: string[] = [];
  out.push(`profiled ${(s.totalMs / 1000).toFixed(1)} s of the app's main thread: busy ${(busy / 1000).toFixed(1)} s (${((100 * busy) / s.totalMs).toFixed(0)}%), idle ${(s.idleMs / 1000).toFixed(1)} s; shares below are of busy time`);
  out.push('\nself time by area (V8 builtins and node internals charged to the package or app code that called them: pg’s socket writes count as pg)');
  out.push(...s.byArea.filter(notIdle).map(line));
  out.push(`\nself time by package (top ${Math.min(top, s.byPackage.length)})`);
  out.push(...s.byPackage.filter(notIdle).slice(0, top).map(line));
  out.push(`\nself time by function (top ${top})`);
  out.push(...s.byFunction.filter(notIdle).slice(0, top).map(line));
  if (s.inclusive.length) {
    out.push('\ninclusive time of entry points (synchronous part only)');
    out.push(...s.inclusive.slice(0, 15).map(line));
  }
  return out.join('\n');
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node dist/bench/cpuprofile-summary.js <file.cpuprofile> [top]');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  console.log(formatProfileSummary(summariseCpuProfile(profile), Number(process.argv[3] ?? 25)));
}
