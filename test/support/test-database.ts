import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { assertTestDatabaseName, TEMPLATE_DATABASE } from './test-database-name';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TUKIAIKA_TEST_ADMIN_URL;
  if (!adminUrl) throw new Error('TUKIAIKA_TEST_ADMIN_URL is not set: run the tests through jest (npm test).');
  const name = `tukiaika_test_${randomBytes(6).toString('hex')}`;
  assertTestDatabaseName(name);
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
