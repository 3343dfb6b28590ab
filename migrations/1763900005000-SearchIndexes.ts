import { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables the slot search keeps in memory between changes (see slots/search-snapshot.ts). */
const SEARCH_INPUT_TABLES = [
  'locations',
  'location_hour_periods',
  'location_hour_intervals',
  'location_exceptions',
  'location_closures',
  'topics',
  'tutors',
  'tutor_locations',
  'tutor_topics',
  'availability_rules',
];

/**
 * Slot search support.
 *
 * 1. A version number of the slot search's slowly changing inputs (branches, hours, exceptions,
 *    closures, topics, tutors, memberships, skills, weekly rules). Every transaction that changes
 *    one of those tables raises it once, AT COMMIT (deferred constraint triggers), so a reader
 *    sees the new number exactly when it sees the new rows, and a search can keep those inputs
 *    in memory and check, in the same statement that reads the bookings, that they are current.
 *    Taking the row lock at commit, as the last thing a writer does, cannot deadlock with the
 *    locks the writer's statements took. Bookings and absences are not inputs of this kind: the
 *    search reads them on every request.
 * 2. Indexes for reading the active bookings of many tutors over a few hours (the country's first
 *    page): by start time, index-only, plus a normally empty one for bookings longer than a day,
 *    so the query stays exact whatever a booking's length. Few tutors over a long range use the
 *    exclusion constraint's gist index (tutor_id, during) instead.
 */
export class SearchIndexes1763900005000 implements MigrationInterface {
  name = 'SearchIndexes1763900005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE search_input_version (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        version bigint NOT NULL DEFAULT 1,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO search_input_version DEFAULT VALUES`);
    await q.query(`
      CREATE FUNCTION bump_search_input_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Once per transaction, however many rows it changed.
        IF current_setting('tukiaika.search_input_bumped', true) IS DISTINCT FROM txid_current()::text THEN
          UPDATE search_input_version SET version = version + 1, changed_at = now();
          PERFORM set_config('tukiaika.search_input_bumped', txid_current()::text, true);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE INDEX bookings_active_start_idx ON bookings (lower(during)) INCLUDE (tutor_id, during)
        WHERE status IN ('confirmed', 'checked_in')`);
    await q.query(`
      CREATE INDEX bookings_active_long_idx ON bookings USING gist (during) INCLUDE (tutor_id)
        WHERE status IN ('confirmed', 'checked_in') AND upper(during) - lower(during) > interval '1 day'`);
    for (const table of SEARCH_INPUT_TABLES) {
      await q.query(`
        CREATE CONSTRAINT TRIGGER ${table}_search_input_version AFTER INSERT OR UPDATE OR DELETE ON ${table}
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_search_input_version()`);
      // TRUNCATE has no row triggers; a statement trigger (immediate) covers it.
      await q.query(`
        CREATE TRIGGER ${table}_search_input_version_truncate AFTER TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION bump_search_input_version()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of SEARCH_INPUT_TABLES) {
      await q.query(`DROP TRIGGER ${table}_search_input_version_truncate ON ${table}`);
      await q.query(`DROP TRIGGER ${table}_search_input_version ON ${table}`);
    }
    await q.query(`DROP FUNCTION bump_search_input_version()`);
    await q.query(`DROP INDEX bookings_active_long_idx`);
    await q.query(`DROP INDEX bookings_active_start_idx`);
    await q.query(`DROP TABLE search_input_version`);
  }
}
