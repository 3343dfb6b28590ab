-- The triggers that keep search_input_version current: every transaction that changes one of the
-- slot search's slowly changing inputs (branches, hours, exceptions, closures, topics, tutors,
-- memberships, skills, weekly rules; partners and their claims, which give advisory slots) raises
-- the version once, AT COMMIT. They are deferred
-- constraint triggers, so a reader sees the new number exactly when it sees the new rows, and a
-- search can keep those inputs in memory and check, in the statement that reads the bookings,
-- that they are current. Taking the row lock at commit, as the last thing a writer does, cannot
-- deadlock with the locks the writer's statements took. TRUNCATE has no row triggers: a statement
-- trigger (immediate) covers it. Bookings and absences are read on every search and have none.
--
-- Constraint triggers cannot be created OR REPLACE: each is dropped and created again (in the
-- one transaction that applies this file).
DO $$
DECLARE
  input_table text;
BEGIN
  FOREACH input_table IN ARRAY ARRAY[
    'locations', 'location_hour_periods', 'location_hour_intervals', 'location_exceptions',
    'location_closures', 'topics', 'tutors', 'tutor_locations', 'tutor_topics', 'availability_rules',
    'partners', 'claims', 'claim_topics', 'claim_advisors'
  ] LOOP
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', input_table || '_search_input_version', input_table);
    EXECUTE format(
      'CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_search_input_version()',
      input_table || '_search_input_version', input_table);
    EXECUTE format(
      'CREATE OR REPLACE TRIGGER %I AFTER TRUNCATE ON %I
         FOR EACH STATEMENT EXECUTE FUNCTION bump_search_input_version()',
      input_table || '_search_input_version_truncate', input_table);
  END LOOP;
END
$$;
