import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { applySqlSources, readSqlSources } from './sql-sources';

/**
 * Runs pending migrations, then applies the SQL sources (functions and triggers) that changed;
 * refuses servers older than PostgreSQL 15.
 */
export async function migrate(url: string, log: (line: string) => void = () => undefined): Promise<void> {
  const ds = new DataSource(dataSourceOptions(url, 1));
  await ds.initialize();
  try {
    const [{ server_version_num }] = await ds.query('SHOW server_version_num');
    if (Number(server_version_num) < 150000) {
      throw new Error(`PostgreSQL 15 or later is needed; this server is ${server_version_num}.`);
    }
    const done = await ds.runMigrations({ transaction: 'each' });
    for (const m of done) log(`migrated: ${m.name}`);
    await applySqlSources(ds, readSqlSources(), log);
  } finally {
    await ds.destroy();
  }
}
