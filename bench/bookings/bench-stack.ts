import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { BenchDatabase, startBenchDatabase } from './bench-database';
import { BenchApp } from './run-context';

export interface BenchStack {
  database: BenchDatabase;
  app: BenchApp;
  /** Not yet connected: the caller connects them when it needs them. */
  admin: Client;
  samplerClient: Client;
  /** Stops the app, the clients and PostgreSQL, and removes `root` unless kept (also on Ctrl-C). */
  stop(): Promise<void>;
}

/** The booking benchmarks' stack in `root`: the database, the app (not started, `env` added to its configuration) and two clients. */
export async function startBenchStack(root: string, keep: boolean, env: Record<string, string> = {}): Promise<BenchStack> {
  const database = await startBenchDatabase(root);
  const app = new BenchApp(database.url, env);
  const admin = new Client({ connectionString: database.url, application_name: 'bench-admin' });
  const samplerClient = new Client({ connectionString: database.url, application_name: 'bench-sampler' });
  const stop = async () => {
    await app.stop().catch(() => undefined);
    await admin.end().catch(() => undefined);
    await samplerClient.end().catch(() => undefined);
    await database.stop();
    if (!keep) rmSync(root, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  return { database, app, admin, samplerClient, stop };
}
