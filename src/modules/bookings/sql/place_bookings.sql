-- place_bookings: several booking requests decided in ONE transaction, one after another, each
-- exactly as if it came alone, then written with one INSERT per table. The app sends the
-- requests that queued up while its booking statement was busy (placeBookingWriter); at low load
-- a batch holds one request.
--
-- Each element of p_calls is an object with place_booking's parameters without the `p_` prefix
-- (bytea as "\x…" hex strings, arrays as JSON arrays). The answer has one row per element,
-- o_index (from 1) saying which. Every request is decided by decide_booking, which is given the
-- bookings decided earlier in the batch, so a request's outcome depends on an earlier one (that
-- booking, that rate-limit hit) exactly as if that request had committed just before it. The
-- stored response of an Idempotency-Key is the one deferred row a later request reads: before a
-- request whose key an earlier booking of the batch used, the responses collected so far are
-- written, so it is answered as that booking's replay.
--
-- An error in any request rolls back the whole batch, and so does a lock wait longer than half a
-- second (55P03, so that one request's wait does not hold up the others for long); the app then
-- decides each request alone with place_booking, so only the failing one fails. That includes a
-- concurrent transaction booking the same tutor or reference between the look-up and the INSERT:
-- there is no ON CONFLICT and no exception handler here.
CREATE OR REPLACE FUNCTION place_bookings(p_calls jsonb)
RETURNS TABLE (o_index integer, o_outcome text, o_placed integer, o_held integer, o_version text,
               o_stored_hash bytea, o_stored_response bytea)
LANGUAGE plpgsql
AS $$
DECLARE
  c record;
  d record;
  -- the batch's bookings, column by column
  b_ids uuid[] := '{}';
  b_references text[] := '{}';
  b_locations uuid[] := '{}';
  b_tutors uuid[] := '{}';
  b_topics uuid[] := '{}';
  b_claims uuid[] := '{}';
  b_languages text[] := '{}';
  b_during tstzrange[] := '{}';
  b_channels text[] := '{}';
  b_names text[] := '{}';
  b_phones text[] := '{}';
  b_emails text[] := '{}';
  b_resident_languages text[] := '{}';
  b_notes text[] := '{}';
  b_token_hashes bytea[] := '{}';
  b_at timestamptz[] := '{}';
  b_actor_types text[] := '{}';
  b_actor_users uuid[] := '{}';
  b_payloads jsonb[] := '{}';
  -- stored responses of the batch's bookings with an Idempotency-Key, not yet written
  k_names text[] := '{}';
  k_hashes bytea[] := '{}';
  k_responses bytea[] := '{}';
  k_at timestamptz[] := '{}';
BEGIN
  PERFORM set_config('lock_timeout', '500ms', true);
  FOR c IN
    SELECT * FROM ROWS FROM (jsonb_to_recordset(p_calls) AS (
      now timestamptz, idem_key text, idem_lock bigint, idem_fresh_after timestamptz, request_hash bytea,
      rate_keys text[], rate_limits integer[], rate_window_start timestamptz,
      named_tutor uuid, start timestamptz, claim uuid, expected_version bigint, contact_locks bigint[],
      location uuid, phone text, email text, cap integer,
      booking_id uuid, reference text, topic uuid, language text, channel text,
      resident_name text, resident_language text, notes text, token_hash bytea,
      tutors uuid[], ends timestamptz[], payloads jsonb[], responses bytea[],
      actor_type text, actor_user uuid)) WITH ORDINALITY AS x
    ORDER BY x.ordinality
  LOOP
    IF c.idem_key = ANY (k_names) THEN
      INSERT INTO idempotency_keys (key, request_hash, status_code, response_encrypted, created_at)
      SELECT k, h, 201, r, t FROM unnest(k_names, k_hashes, k_responses, k_at) AS s(k, h, r, t);
      k_names := '{}'; k_hashes := '{}'; k_responses := '{}'; k_at := '{}';
    END IF;
    d := decide_booking(
      c.now, c.idem_key, c.idem_lock, c.idem_fresh_after,
      c.rate_keys, c.rate_limits, c.rate_window_start,
      c.named_tutor, c.start, c.claim, c.expected_version, c.contact_locks,
      c.location, c.phone, c.email, c.cap,
      c.reference, c.tutors, c.ends,
      b_tutors, b_during, b_references, b_locations, b_phones, b_emails);
    IF d.o_outcome = 'booked' THEN
      b_ids := array_append(b_ids, c.booking_id);
      b_references := array_append(b_references, c.reference);
      b_locations := array_append(b_locations, c.location);
      b_tutors := array_append(b_tutors, c.tutors[d.o_placed]);
      b_topics := array_append(b_topics, c.topic);
      b_claims := array_append(b_claims, c.claim);
      b_languages := array_append(b_languages, c.language);
      b_during := array_append(b_during, tstzrange(c.start, c.ends[d.o_placed], '[)'));
      b_channels := array_append(b_channels, c.channel);
      b_names := array_append(b_names, c.resident_name);
      b_phones := array_append(b_phones, c.phone);
      b_emails := array_append(b_emails, c.email);
      b_resident_languages := array_append(b_resident_languages, c.resident_language);
      b_notes := array_append(b_notes, c.notes);
      b_token_hashes := array_append(b_token_hashes, c.token_hash);
      b_at := array_append(b_at, c.now);
      b_actor_types := array_append(b_actor_types, c.actor_type);
      b_actor_users := array_append(b_actor_users, c.actor_user);
      b_payloads := array_append(b_payloads, c.payloads[d.o_placed]);
      IF c.idem_key IS NOT NULL THEN
        k_names := array_append(k_names, c.idem_key);
        k_hashes := array_append(k_hashes, c.request_hash);
        k_responses := array_append(k_responses, c.responses[d.o_placed]);
        k_at := array_append(k_at, c.now);
      END IF;
    END IF;
    o_index := c.ordinality;
    o_outcome := d.o_outcome; o_placed := d.o_placed; o_held := d.o_held; o_version := d.o_version;
    o_stored_hash := d.o_stored_hash; o_stored_response := d.o_stored_response;
    RETURN NEXT;
  END LOOP;

  IF cardinality(b_ids) > 0 THEN
    INSERT INTO bookings (id, reference, location_id, tutor_id, topic_id, language, kind, partner_id, claim_id, during, status, channel,
                          resident_name, resident_phone, resident_email, resident_language, notes, manage_token_hash,
                          created_at, updated_at)
    SELECT n.id, n.ref, n.loc, n.tutor, n.topic, n.lang, CASE WHEN n.claim IS NULL THEN 'tutoring' ELSE 'advisory' END, cl.partner_id,
           n.claim, n.during, 'confirmed', n.channel, n.name, n.phone, n.email, n.rlang, n.notes, n.token, n.at, n.at
    FROM unnest(b_ids, b_references, b_locations, b_tutors, b_topics, b_languages, b_during, b_channels,
                b_names, b_phones, b_emails, b_resident_languages, b_notes, b_token_hashes, b_at, b_claims)
         AS n(id, ref, loc, tutor, topic, lang, during, channel, name, phone, email, rlang, notes, token, at, claim)
    LEFT JOIN claims cl ON cl.id = n.claim;
    INSERT INTO booking_events (booking_id, type, at, actor_type, actor_user_id, reason, payload)
    SELECT id, 'created', at, actor, actor_user, NULL, payload
    FROM unnest(b_ids, b_at, b_actor_types, b_actor_users, b_payloads) AS e(id, at, actor, actor_user, payload);
  END IF;
  IF cardinality(k_names) > 0 THEN
    INSERT INTO idempotency_keys (key, request_hash, status_code, response_encrypted, created_at)
    SELECT k, h, 201, r, t FROM unnest(k_names, k_hashes, k_responses, k_at) AS s(k, h, r, t);
  END IF;
END
$$;
