-- bump_search_input_version: raises search_input_version.version once per transaction, however
-- many rows the transaction changed. The triggers in search_input_version_triggers.sql call it
-- for every table of the slot search's slowly changing inputs (see search-snapshot.ts).
CREATE OR REPLACE FUNCTION bump_search_input_version()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF current_setting('tukiaika.search_input_bumped', true) IS DISTINCT FROM txid_current()::text THEN
    UPDATE search_input_version SET version = version + 1, changed_at = now();
    PERFORM set_config('tukiaika.search_input_bumped', txid_current()::text, true);
  END IF;
  RETURN NULL;
END
$$;
