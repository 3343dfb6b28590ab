-- decide_booking: decides one booking request without writing the booking. place_booking (one
-- request) and place_bookings (a batch) call it and then write what it decided.
--
-- The app decides what it can from the slot search snapshot (branch policy, topic, the tutors
-- whose rules and opening hours hold a session at that time) and passes the candidate tutors in
-- the order to try them. In order, the answer (o_outcome) is:
--   1. the Idempotency-Key: 'in-progress' when another transaction holds it; 'replay' with the
--      stored response when it is fresh (the app compares the request hash and decrypts it); a
--      stale key is forgotten;
--   2. the rate limits: one hit per key; 'rate-limited' past any key's limit (the hits stay
--      counted, because the function answers instead of raising);
--   3. a named tutor already booked at the start, earlier in the batch: 'taken';
--   4. for an advisory booking, its claim's row shared (FOR SHARE, see below); the guard locks
--      (booking_guard_key): the branch and each candidate tutor shared, then the
--      contact's locks exclusive. A schedule change in progress is waited for, and what it
--      committed is then seen;
--   5. ONE query after the locks (a query sees what was committed when it started): for an
--      advisory booking (p_claim), the claim: approved, bookable, at this branch, the session
--      inside its window and on its session grid, else 'claim-not-bookable' (the one place this
--      is checked); the named tutor's active booking covering the start ('taken'), the snapshot's version ('stale',
--      with the current version in o_version, so nothing is decided on old policy or rules),
--      the contact's active bookings at the branch, plus the batch's ('limit-reached' at the
--      cap, with the count in o_held);
--   6. each candidate in turn, with ONE query per candidate: skipped when absent (or, for an
--      advisory booking, not an advisor of the claim); the reference
--      already used ('reference-taken'); skipped when the tutor has an overlapping active
--      booking, committed or earlier in the batch; otherwise 'booked' with the candidate's
--      position (from 1) in o_placed. 'none' when no candidate fits.
--
-- p_pending_* are the bookings decided earlier in the same batch and not yet inserted: they
-- count wherever an inserted booking would. A concurrent transaction can still book the tutor
-- or use the reference between this look-up and the INSERT: the exclusion constraint and the
-- unique index have the last word, and the callers decide again after such a conflict.
--
-- Locks use the `try` functions first (an expression, cheap in PL/pgSQL) and wait only when the
-- lock is held elsewhere. The rate-limit statement is consume_rate_limits', inline.
CREATE OR REPLACE FUNCTION decide_booking(
  p_now timestamptz,
  -- idempotency (all null without a key)
  p_idem_key text, p_idem_lock bigint, p_idem_fresh_after timestamptz,
  -- rate limits (null for staff, and when the same request is decided again)
  p_rate_keys text[], p_rate_limits integer[], p_rate_window_start timestamptz,
  -- the tutor the resident named (null: any suitable tutor) and the session's start
  p_named_tutor uuid, p_start timestamptz,
  -- the approved bookable claim an advisory booking is made in (null: a tutoring booking)
  p_claim uuid,
  -- the search snapshot's version the request was decided on
  p_expected_version bigint,
  p_contact_locks bigint[],
  p_location uuid, p_phone text, p_email text, p_cap integer,
  p_reference text,
  -- candidates in the order to try: tutor, session end
  p_tutors uuid[], p_ends timestamptz[],
  -- the bookings decided earlier in the batch, not yet inserted
  p_pending_tutors uuid[], p_pending_during tstzrange[], p_pending_references text[],
  p_pending_locations uuid[], p_pending_phones text[], p_pending_emails text[],
  OUT o_outcome text, OUT o_placed integer, OUT o_held integer, OUT o_version text,
  OUT o_stored_hash bytea, OUT o_stored_response bytea
)
LANGUAGE plpgsql
AS $$
DECLARE
  stored idempotency_keys%ROWTYPE;
  current_version bigint;
  lock_key bigint;
  session tstzrange;
  over_limit boolean;
  named_taken boolean;
  claim_bookable boolean;
  absent boolean;
  reference_taken boolean;
  overlapping boolean;
BEGIN
  IF p_idem_key IS NOT NULL THEN
    IF NOT pg_try_advisory_xact_lock(p_idem_lock) THEN
      o_outcome := 'in-progress'; RETURN;
    END IF;
    SELECT * INTO stored FROM idempotency_keys WHERE key = p_idem_key;
    IF FOUND AND stored.created_at > p_idem_fresh_after THEN
      o_outcome := 'replay'; o_stored_hash := stored.request_hash; o_stored_response := stored.response_encrypted;
      RETURN;
    ELSIF FOUND THEN
      DELETE FROM idempotency_keys WHERE key = p_idem_key;
    END IF;
  END IF;

  IF p_rate_keys IS NOT NULL THEN
    -- consume_rate_limits' statement: one hit per key, refused past any key's limit
    WITH hits AS (
      INSERT INTO rate_limit_counters AS c (key, window_start, hits)
      SELECT k, p_rate_window_start, 1
      FROM (SELECT DISTINCT unnest(p_rate_keys) AS k) AS keys
      ORDER BY k
      ON CONFLICT (key, window_start) DO UPDATE SET hits = c.hits + 1
      RETURNING c.key, c.hits)
    SELECT coalesce(bool_or(h.hits > p_rate_limits[array_position(p_rate_keys, h.key)]), false)
      INTO over_limit
      FROM hits AS h;
    IF over_limit THEN
      o_outcome := 'rate-limited'; RETURN;
    END IF;
  END IF;

  -- A booking decided earlier in the batch (the cheap array test first).
  IF p_named_tutor = ANY (p_pending_tutors) THEN
    IF EXISTS (SELECT 1 FROM unnest(p_pending_tutors, p_pending_during) AS p(t, d)
               WHERE p.t = p_named_tutor AND p.d @> p_start) THEN
      o_outcome := 'taken'; RETURN;
    END IF;
  END IF;

  -- An advisory booking and a change of its claim take turns on the claim's row: the booking holds
  -- it shared until it commits, so a cancellation (which updates the row) waits for it and then
  -- sees the booking to cancel, and a booking after a cancellation sees the claim cancelled. Taken
  -- before the guard locks, so a cancellation that takes the branch's guard lock after updating
  -- the claim cannot deadlock with it.
  IF p_claim IS NOT NULL THEN
    PERFORM 1 FROM claims c WHERE c.id = p_claim FOR SHARE;
  END IF;

  -- The guard locks, always in this order; the waiting form only when the lock is held elsewhere.
  lock_key := booking_guard_key('location', p_location);
  IF NOT pg_try_advisory_xact_lock_shared(lock_key) THEN
    PERFORM pg_advisory_xact_lock_shared(lock_key);
  END IF;
  IF cardinality(p_tutors) = 1 THEN
    lock_key := booking_guard_key('tutor', p_tutors[1]);
    IF NOT pg_try_advisory_xact_lock_shared(lock_key) THEN
      PERFORM pg_advisory_xact_lock_shared(lock_key);
    END IF;
  ELSE
    PERFORM pg_advisory_xact_lock_shared(booking_guard_key('tutor', t))
      FROM (SELECT DISTINCT unnest(p_tutors) AS t ORDER BY 1) AS candidates;
  END IF;
  FOREACH lock_key IN ARRAY coalesce(p_contact_locks, '{}') LOOP
    IF NOT pg_try_advisory_xact_lock(lock_key) THEN
      PERFORM pg_advisory_xact_lock(lock_key);
    END IF;
  END LOOP;

  SELECT v.version,
         p_claim IS NULL OR EXISTS (
           SELECT 1 FROM claims c
           WHERE c.id = p_claim AND c.status = 'approved' AND c.mode = 'bookable' AND c.location_id = p_location
             AND c.during @> p_start AND p_start + make_interval(mins => c.session_minutes) <= upper(c.during)
             AND (extract(epoch FROM p_start - lower(c.during)) * 1000)::bigint
                 % ((c.session_minutes + c.buffer_minutes) * 60000)::bigint = 0),
         p_named_tutor IS NOT NULL AND EXISTS (
           SELECT 1 FROM bookings b
           WHERE b.tutor_id = p_named_tutor AND b.active AND b.during @> p_start),
         (SELECT count(*)::int FROM bookings b
          WHERE b.location_id = p_location AND b.active AND upper(b.during) > p_now
            AND ((b.resident_phone = p_phone AND p_phone IS NOT NULL)
                 OR (b.resident_email = p_email AND p_email IS NOT NULL)))
    INTO current_version, claim_bookable, named_taken, o_held
    FROM search_input_version v;
  IF NOT claim_bookable THEN
    o_outcome := 'claim-not-bookable'; o_held := NULL; RETURN;
  END IF;
  IF named_taken THEN
    o_outcome := 'taken'; o_held := NULL; RETURN;
  END IF;
  IF current_version IS DISTINCT FROM p_expected_version THEN
    o_outcome := 'stale'; o_version := current_version::text; o_held := NULL; RETURN;
  END IF;
  IF p_location = ANY (p_pending_locations) AND (p_phone = ANY (p_pending_phones) OR p_email = ANY (p_pending_emails)) THEN
    o_held := o_held + (
      SELECT count(*)::int
      FROM unnest(p_pending_locations, p_pending_during, p_pending_phones, p_pending_emails) AS p(l, d, ph, em)
      WHERE p.l = p_location AND upper(p.d) > p_now
        AND ((p.ph = p_phone AND p_phone IS NOT NULL) OR (p.em = p_email AND p_email IS NOT NULL)));
  END IF;
  IF o_held >= p_cap THEN
    o_outcome := 'limit-reached'; RETURN;
  END IF;

  FOR i IN 1 .. coalesce(array_length(p_tutors, 1), 0) LOOP
    session := tstzrange(p_start, p_ends[i], '[)');
    SELECT EXISTS (SELECT 1 FROM tutor_absences a
                   WHERE a.tutor_id = p_tutors[i] AND tstzrange(a.starts_at, a.ends_at) && session)
             OR (p_claim IS NOT NULL AND NOT EXISTS (SELECT 1 FROM claim_advisors ca
                                                    WHERE ca.claim_id = p_claim AND ca.tutor_id = p_tutors[i])),
           p_reference = ANY (p_pending_references)
             OR EXISTS (SELECT 1 FROM bookings b WHERE b.reference = p_reference),
           EXISTS (SELECT 1 FROM bookings b
                   WHERE b.tutor_id = p_tutors[i] AND b.active AND b.during && session)
      INTO absent, reference_taken, overlapping;
    CONTINUE WHEN absent;
    -- The order in which an INSERT would find them: the reference (unique index) before the
    -- tutor's overlapping booking (exclusion constraint: try the next candidate).
    IF reference_taken THEN
      o_outcome := 'reference-taken'; RETURN;
    END IF;
    CONTINUE WHEN overlapping;
    IF p_tutors[i] = ANY (p_pending_tutors) THEN
      CONTINUE WHEN EXISTS (SELECT 1 FROM unnest(p_pending_tutors, p_pending_during) AS p(t, d)
                            WHERE p.t = p_tutors[i] AND p.d && session);
    END IF;
    o_placed := i;
    o_outcome := 'booked';
    RETURN;
  END LOOP;
  o_outcome := 'none';
END
$$;
