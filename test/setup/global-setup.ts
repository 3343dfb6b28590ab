import { rmSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { migrate } from '../../src/database/migrate';
import { TEMPLATE_DATABASE, assertTestDatabaseName } from '../support/test-database-name';

/**
 * Starts one PostgreSQL for the whole run (embedded, in a throw-away folder, unless
 * TUKIAIKA_TEST_DATABASE_URL names a server's maintenance database), and migrates a template
 * database that each test file clones.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.TUKIAIKA_TEST_DATABASE_URL;
  if (!adminUrl) {
    const clusterDir = path.join(__dirname, '..', '..', '.tmp', `pg-test-${process.pid}`, 'postgres');
    rmSync(path.dirname(clusterDir), { recursive: true, force: true });
    const server = await startEmbeddedPostgres({ clusterDir, database: 'postgres' });
    adminUrl = server.adminUrl;
    (globalThis as Record<string, unknown>).__TUKIAIKA_PG__ = {
      stop: async () => {
        await server.stop();
        rmSync(path.dirname(clusterDir), { recursive: true, force: true });
      },
    };
  }
  assertTestDatabaseName(TEMPLATE_DATABASE);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await client.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE_DATABASE}`;
  await migrate(templateUrl.toString());
  process.env.TUKIAIKA_TEST_ADMIN_URL = adminUrl;
}
