import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { migrate } from '../../src/database/migrate';
import { postmasterPidOf } from './cpu-usage';

const DATABASE = 'tukiaika_bench_bookings';

export interface BenchDatabase {
  url: string;
  postmasterPid: number | undefined;
  clusterDir: string;
  stop(): Promise<void>;
}

/** An embedded PostgreSQL in `root`, with a fresh, migrated database (a kept folder starts over). */
export async function startBenchDatabase(root: string): Promise<BenchDatabase> {
  const clusterDir = path.join(root, 'postgres');
  const server = await startEmbeddedPostgres({ clusterDir, database: 'postgres' });
  const admin = new Client({ connectionString: server.adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = server.url.replace(/\/postgres$/, `/${DATABASE}`);
  await migrate(url);
  return { url, postmasterPid: postmasterPidOf(clusterDir), clusterDir, stop: () => server.stop() };
}

export async function serverSettings(c: Client): Promise<{ version: string; settings: { name: string; setting: string }[] }> {
  const version = (await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v;
  const settings = (await c.query<{ name: string; setting: string }>(`SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'max_connections')`)).rows;
  return { version, settings };
}

/**
 * The app runs in this process, so its garbage collector is configured by this process's node
 * flags: they should be the ones `npm start` gives the service (package.json), e.g. the young
 * generation's size.
 */
export function nodeFlagsLine(projectRoot: string): string {
  const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const start = (pkg.scripts?.start ?? '').split(/\s+/).filter((word) => word.startsWith('--'));
  const own = process.execArgv.filter((word) => word.startsWith('--'));
  const same = own.length === start.length && own.every((flag) => start.includes(flag));
  return `node flags: ${own.join(' ') || 'none'}${same ? ' (as npm start runs the service)' : `  — npm start runs the service with ${start.join(' ') || 'none'}: run this with npm run bench:bookings`}`;
}
