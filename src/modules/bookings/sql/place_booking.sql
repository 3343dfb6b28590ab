-- place_booking: one booking request decided and written in one statement, one request per
-- transaction: decide_booking (with an empty batch), then the booking, its 'created' event and
-- the stored response of its Idempotency-Key. Answers as decide_booking does. The app calls it
-- for a request decided alone, for example after the batch it was in failed (place_bookings).
--
-- The INSERT can still meet a concurrent transaction's booking of the tutor or its reference
-- (decide_booking's look-up cannot see a booking not yet committed; the INSERT waits for it):
-- the request is then decided again, now seeing that booking (its rate-limit hits are counted
-- once), which tries the next candidate or answers 'none' or 'reference-taken'.
--
-- Bookings of one tutor take turns at the INSERT: just before it, the tutor's 'tutor-insert'
-- guard lock is taken exclusively (no other code takes it), inside the INSERT's subtransaction,
-- so it is released when the INSERT fails and held until the commit when it succeeds. Two
-- clashing INSERTs would otherwise each wait for the other's row in the exclusion constraint's
-- index (a deadlock). Another writer (a batch without the lock-wait limit, a staff reschedule)
-- can still deadlock with it: only this booking's row is taken back, and after a short pause the
-- request is decided again; the fourth deadlock is raised.
CREATE OR REPLACE FUNCTION place_booking(
  p_now timestamptz,
  -- idempotency (all null without a key)
  p_idem_key text, p_idem_lock bigint, p_idem_fresh_after timestamptz, p_request_hash bytea,
  -- rate limits (null for staff, and when the same request is decided again)
  p_rate_keys text[], p_rate_limits integer[], p_rate_window_start timestamptz,
  -- the tutor the resident named (null: any suitable tutor) and the session's start
  p_named_tutor uuid, p_start timestamptz,
  -- the claim of an advisory booking (null: tutoring)
  p_claim uuid,
  p_expected_version bigint,
  p_contact_locks bigint[],
  p_location uuid, p_phone text, p_email text, p_cap integer,
  p_booking_id uuid, p_reference text, p_topic uuid, p_language text, p_channel text,
  p_resident_name text, p_resident_language text, p_notes text, p_token_hash bytea,
  -- candidates in the order to try: tutor, session end, event payload, stored response
  p_tutors uuid[], p_ends timestamptz[], p_payloads jsonb[], p_responses bytea[],
  p_actor_type text, p_actor_user uuid,
  OUT o_outcome text, OUT o_placed integer, OUT o_held integer, OUT o_version text,
  OUT o_stored_hash bytea, OUT o_stored_response bytea
)
LANGUAGE plpgsql
AS $$
DECLARE
  d record;
  rate_keys text[] := p_rate_keys;
  conflict text;
  deadlocks integer := 0;
BEGIN
  LOOP
    d := decide_booking(
      p_now, p_idem_key, p_idem_lock, p_idem_fresh_after,
      rate_keys, p_rate_limits, p_rate_window_start,
      p_named_tutor, p_start, p_claim, p_expected_version, p_contact_locks,
      p_location, p_phone, p_email, p_cap,
      p_reference, p_tutors, p_ends,
      '{}', '{}', '{}', '{}', '{}', '{}');
    o_outcome := d.o_outcome; o_placed := d.o_placed; o_held := d.o_held; o_version := d.o_version;
    o_stored_hash := d.o_stored_hash; o_stored_response := d.o_stored_response;
    IF o_outcome <> 'booked' THEN
      RETURN;
    END IF;
    BEGIN
      PERFORM pg_advisory_xact_lock(booking_guard_key('tutor-insert', p_tutors[o_placed]));
      INSERT INTO bookings (id, reference, location_id, tutor_id, topic_id, language, kind, partner_id, claim_id, during, status, channel,
                            resident_name, resident_phone, resident_email, resident_language, notes, manage_token_hash,
                            created_at, updated_at)
      VALUES (p_booking_id, p_reference, p_location, p_tutors[o_placed], p_topic, p_language,
              CASE WHEN p_claim IS NULL THEN 'tutoring' ELSE 'advisory' END,
              (SELECT c.partner_id FROM claims c WHERE c.id = p_claim), p_claim,
              tstzrange(p_start, p_ends[o_placed], '[)'), 'confirmed', p_channel, p_resident_name, p_phone, p_email,
              p_resident_language, p_notes, p_token_hash, p_now, p_now);
      EXIT;
    EXCEPTION
      WHEN deadlock_detected THEN
        deadlocks := deadlocks + 1;
        IF deadlocks > 3 THEN
          RAISE;
        END IF;
        PERFORM pg_sleep(0.01 * deadlocks);
        rate_keys := NULL;
      WHEN exclusion_violation OR unique_violation THEN
        GET STACKED DIAGNOSTICS conflict = CONSTRAINT_NAME;
        IF conflict NOT IN ('bookings_no_double_booking', 'bookings_reference_key') THEN
          RAISE;
        END IF;
        rate_keys := NULL;
    END;
  END LOOP;

  INSERT INTO booking_events (booking_id, type, at, actor_type, actor_user_id, reason, payload)
  VALUES (p_booking_id, 'created', p_now, p_actor_type, p_actor_user, NULL, p_payloads[o_placed]);
  IF p_idem_key IS NOT NULL THEN
    INSERT INTO idempotency_keys (key, request_hash, status_code, response_encrypted, created_at)
    VALUES (p_idem_key, p_request_hash, 201, p_responses[o_placed], p_now);
  END IF;
END
$$;
