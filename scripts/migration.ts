import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { migrate } from '../src/database/migrate';
import { fail, withDatabase } from './with-database';

/**
 * npm run migration:run | migration:revert
 * Uses the same DataSource definition as the app. A new migration is written by hand in
 * migrations/ and listed in src/database/migrations.ts.
 */
async function main(): Promise<void> {
  const [command] = process.argv.slice(2);
  await withDatabase(async (url) => {
    if (command === 'run') return migrate(url, (line) => console.log(line));
    const ds = new DataSource(dataSourceOptions(url, 1));
    await ds.initialize();
    try {
      if (command === 'revert') {
        await ds.undoLastMigration({ transaction: 'each' });
        console.log('reverted the last migration');
      } else {
        fail('usage: migration.js run | revert');
      }
    } finally {
      await ds.destroy();
    }
  });
}

main().catch(fail);
