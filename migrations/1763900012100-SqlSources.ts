import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The record of the SQL sources (the functions and triggers in the modules' sql folders) that the repeatable
 * step after the migrations applied (src/database/sql-sources.ts): one row per file, with the
 * checksum of the text applied and the functions and triggers it defines.
 */
export class SqlSources1763900012100 implements MigrationInterface {
  name = 'SqlSources1763900012100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sql_sources (
        name text PRIMARY KEY,
        checksum text NOT NULL,
        defines text[] NOT NULL,
        applied_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sql_sources`);
  }
}
