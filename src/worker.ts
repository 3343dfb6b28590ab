import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { loadConfig } from './config/app-config';
import { ConfigError } from './config/config-error';

/**
 * `npm run worker`: the job worker alone (delivering messages, reminders, housekeeping), for
 * deployments that keep it apart from the web instances (which then run with
 * TUKIAIKA_WORKERS=false). It joins a database the app has migrated, through DATABASE_URL and
 * the same TUKIAIKA_AUTH_SECRET (the manage links in messages are decrypted with it).
 */
async function main(): Promise<void> {
  const loaded = loadConfig();
  if (!loaded.database.url) {
    throw new ConfigError('DATABASE_URL', 'must be set for the worker: it joins the database of a running app (the app migrates it)');
  }
  const config = { ...loaded, notifications: { ...loaded.notifications, workers: true } };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, databaseUrl: loaded.database.url }), { logger: ['log', 'error', 'warn'] });
  app.enableShutdownHooks();
  console.log('Tukiaika worker is running. Stop with Ctrl-C.');
}

main().catch((error: unknown) => {
  console.error(`\nTukiaika worker could not start: ${error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
