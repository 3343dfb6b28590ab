import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { migrate } from '../src/database/migrate';
import { fail, withDatabase } from './with-database';

/**
 * npm run migration:run | migration:revert | migration:generate -- Name
 * Uses the same DataSource definition as the app. `generate` writes the SQL TypeORM would
 * need to bring the schema to the entities into migrations/<timestamp>-<Name>.ts, for a
 * person to read and edit before committing.
 */
async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  await withDatabase(async (url) => {
    if (command === 'run') return migrate(url, (line) => console.log(line));
    const ds = new DataSource(dataSourceOptions(url, 1));
    await ds.initialize();
    try {
      if (command === 'revert') {
        await ds.undoLastMigration({ transaction: 'each' });
        console.log('reverted the last migration');
      } else if (command === 'generate') {
        if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) fail('usage: npm run migration:generate -- MigrationName');
        await migrate(url);
        const sql = await ds.driver.createSchemaBuilder().log();
        if (sql.upQueries.length === 0) return console.log('The schema matches the entities: nothing to generate.');
        const timestamp = Date.now();
        const lines = (qs: { query: string }[]) => qs.map((q) => `    await q.query(${JSON.stringify(q.query)});`).join('\n');
        const file = path.join(__dirname, '..', '..', 'migrations', `${timestamp}-${name}.ts`);
        writeFileSync(
          file,
          `import { MigrationInterface, QueryRunner } from 'typeorm';\n\n// Generated: read and edit by hand, then add it to src/database/migrations.ts.\nexport class ${name}${timestamp} implements MigrationInterface {\n  name = '${name}${timestamp}';\n\n  async up(q: QueryRunner): Promise<void> {\n${lines(sql.upQueries)}\n  }\n\n  async down(q: QueryRunner): Promise<void> {\n${lines(sql.downQueries.reverse())}\n  }\n}\n`,
        );
        console.log(`wrote ${file}`);
      } else {
        fail('usage: migration.js run | revert | generate <Name>');
      }
    } finally {
      await ds.destroy();
    }
  });
}

main().catch(fail);
