import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { Clock } from './common/time/clock';
import { DemoAccount, seedDemoData } from './modules/demo/demo-data';
import { PasswordHasher } from './modules/users/password-hasher';
import { createApp } from './app.setup';
import { AppConfig, loadConfig } from './config/app-config';
import { ConfigError } from './config/config-error';
import { openDatabase } from './database/database-location';
import { EmbeddedPostgresError } from './database/embedded-postgres';
import { migrate } from './database/migrate';
import { UsersService } from './modules/users/users.service';

async function main(): Promise<void> {
  const started = Date.now();
  let config: AppConfig = loadConfig();
  const database = await openDatabase(config);
  config = { ...config, auth: { ...config.auth, secret: database.authSecret } };

  let stopping = false;
  const app = await (async () => {
    await migrate(database.url, (line) => console.log(line));
    return createApp({ config, databaseUrl: database.url });
  })().catch(async (error) => {
    await database.stop();
    throw error;
  });

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received, stopping`);
    await app.close().catch(() => undefined);
    await database.stop();
    process.exit(0);
  };
  // The embedded-postgres package stops PostgreSQL on these signals and then exits with 128 + n,
  // racing the app's own close (the job worker is still stopping); this shutdown does both, in order.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal));
  }

  if (config.auth.admin) {
    const outcome = await app.get(UsersService).ensureAdmin(config.auth.admin.email, config.auth.admin.password);
    console.log(`admin ${config.auth.admin.email}: ${outcome === 'created' ? 'created' : 'exists already'}`);
  }

  const demoAccounts = config.demoData ? await loadOrSeedDemo(app, config.database.dataDir) : [];

  await app.listen({ port: config.server.port, host: config.server.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? 'localhost' : config.server.host;
  const url = `http://${host}:${port}`;
  console.log(
    [
      '',
      `Tukiaika is running at ${url}  (ready in ${Date.now() - started} ms)`,
      `  Booking pages for residents:  ${url}/fi  (/sv, /en)`,
      `  API docs:  ${url}/api/docs`,
      `  Database:  ${database.embedded ? `embedded PostgreSQL in ${config.database.dataDir}/postgres` : 'DATABASE_URL'}`,
      ...(demoAccounts.length
        ? ['', '  Demo accounts (log in with POST /api/v1/auth/login):', ...demoAccounts.map((a) => `    ${a.email}  ${a.password}  (${a.what})`)]
        : []),
      '  Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
}

/**
 * Seeds the demo catalogue on an empty database and keeps its generated passwords in the data
 * folder (mode 0600), so every start can print them.
 */
async function loadOrSeedDemo(app: NestFastifyApplication, dataDir: string): Promise<DemoAccount[]> {
  const file = path.join(dataDir, 'demo-accounts.json');
  const created = await seedDemoData(app.get(DataSource), app.get(Clock).now(), (p) => app.get(PasswordHasher).hash(p));
  if (created.length) writeFileSync(file, JSON.stringify(created, null, 2), { mode: 0o600 });
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DemoAccount[];
  } catch {
    return [];
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EmbeddedPostgresError) {
    console.error(`\nTukiaika could not start: ${error.message}\n`);
  } else {
    console.error('\nTukiaika could not start:', error);
  }
  process.exit(1);
});
