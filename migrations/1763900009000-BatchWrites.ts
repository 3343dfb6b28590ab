import { MigrationInterface, QueryRunner } from 'typeorm';
import { PLACE_BOOKING_V1 } from './1763900006000-PlaceBooking';
import { withoutPurge } from './1763900007000-PlaceBookingWithoutPurge';
import { CALLS_AS_ROWS, PLACE_BOOKINGS } from './1763900008000-PlaceBookings';

/**
 * A batch of booking requests (place_bookings) decides every request first and then writes its
 * bookings, their `created` events and the stored idempotent responses with ONE INSERT per
 * table, instead of three INSERTs per booking.
 *
 * Why: in issue 6's benchmark the one writer connection is busy all the time, so its CPU per
 * booking sets the pace, and much of that CPU was the INSERTs' set-up rather than their rows.
 * Every INSERT statement starts an executor and reads the table's CHECK constraints, index
 * expressions and index predicates back from their stored text (bookings has ten indexes and
 * eleven CHECKs); pg_stat_statements put the booking INSERT at ≈ 0.43 ms, the event at ≈ 0.12 ms
 * and the stored response at ≈ 0.06 ms of the ≈ 1.2 ms a booking cost. Measured with serial
 * batches of 8 on one connection: ≈ 1.19 → ≈ 0.87 ms of backend CPU per booking.
 *
 * - `decide_booking` decides one request the way place_booking did until now, without writing
 *   the booking. It is given the bookings decided earlier in the batch (`p_pending_*`) and counts
 *   them wherever place_booking would have seen them inserted: a named tutor's booking covering
 *   the start (`taken`), the contact's active bookings at the branch (the cap), a candidate
 *   tutor's overlapping booking (try the next candidate), the reference (`reference-taken`).
 *   Where place_booking left it to its INSERT to find a committed booking of the tutor or the
 *   reference (the exclusion constraint, the unique index), decide_booking looks them up first.
 *   It counts the rate-limit hits with consume_rate_limits' statement inline (no nested function
 *   call and join: ≈ 0.05 ms less per booking).
 * - `place_bookings` calls it for each request, in order, then runs the three INSERTs. The stored
 *   response of an Idempotency-Key is the one deferred row a later request reads: before a
 *   request whose key an earlier booking of the batch used, the responses collected so far are
 *   written, so it is answered as that booking's replay, as if the two had come one after the
 *   other. Nobody reads events inside a batch.
 * - PostgreSQL keeps the last word. A concurrent transaction (another instance, or a request
 *   decided alone) may book the same tutor or use the same reference between the look-up and the
 *   INSERT, which then fails (exclusion or unique violation, or the lock timeout while waiting
 *   for it); the whole batch rolls back, and the app decides each request alone with
 *   place_booking (one request per transaction, which decides again after such a conflict; see
 *   below). The exclusion constraint keeps a tutor out of two bookings either way.
 */

/** decide_booking's name, parameters and answers; later versions keep them. */
export const DECIDE_BOOKING_SIGNATURE = `decide_booking(
        p_now timestamptz,
        p_idem_key text, p_idem_lock bigint, p_idem_fresh_after timestamptz,
        p_rate_keys text[], p_rate_limits integer[], p_rate_window_start timestamptz,
        p_named_tutor uuid, p_start timestamptz,
        p_expected_version bigint,
        p_contact_locks bigint[],
        p_location uuid, p_phone text, p_email text, p_cap integer,
        p_reference text, p_tutors uuid[], p_ends timestamptz[],
        -- the bookings decided earlier in the batch, not yet inserted
        p_pending_tutors uuid[], p_pending_during tstzrange[], p_pending_references text[],
        p_pending_locations uuid[], p_pending_phones text[], p_pending_emails text[],
        OUT o_outcome text, OUT o_placed integer, OUT o_held integer, OUT o_version text,
        OUT o_stored_hash bytea, OUT o_stored_response bytea
      ) LANGUAGE plpgsql AS $$`;

/** decide_booking's first two steps: the Idempotency-Key (in progress, replay) and the rate limits. */
export const DECIDE_KEY_AND_RATE_LIMITS = `
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
          -- consume_rate_limits' statement, inline: one hit per key, refused past any key's limit
          WITH hits AS (
            INSERT INTO rate_limit_counters AS c (key, window_start, hits)
            SELECT k, p_rate_window_start, 1 FROM (SELECT DISTINCT unnest(p_rate_keys) AS k) AS keys ORDER BY k
            ON CONFLICT (key, window_start) DO UPDATE SET hits = c.hits + 1
            RETURNING c.key, c.hits)
          SELECT coalesce(bool_or(h.hits > p_rate_limits[array_position(p_rate_keys, h.key)]), false) INTO over_limit FROM hits AS h;
          IF over_limit THEN
            o_outcome := 'rate-limited'; RETURN;
          END IF;
        END IF;
`;

/**
 * decide_booking's cap step, after the committed count is in o_held: the batch's undecided
 * bookings of the same contact at the branch are added, and a contact at its cap is refused.
 */
export const DECIDE_CONTACT_CAP = `
        IF p_location = ANY (p_pending_locations) AND (p_phone = ANY (p_pending_phones) OR p_email = ANY (p_pending_emails)) THEN
          o_held := o_held + (
            SELECT count(*)::int FROM unnest(p_pending_locations, p_pending_during, p_pending_phones, p_pending_emails) AS p(l, d, ph, em)
            WHERE p.l = p_location AND upper(p.d) > p_now
              AND ((p.ph = p_phone AND p_phone IS NOT NULL) OR (p.em = p_email AND p_email IS NOT NULL)));
        END IF;
        IF o_held >= p_cap THEN
          o_outcome := 'limit-reached'; RETURN;
        END IF;`;

export const DECIDE_BOOKING = `
      CREATE FUNCTION ${DECIDE_BOOKING_SIGNATURE}
      DECLARE
        stored idempotency_keys%ROWTYPE;
        current_version bigint;
        lock_key bigint;
        session tstzrange;
        over_limit boolean;
      BEGIN${DECIDE_KEY_AND_RATE_LIMITS}
        IF p_named_tutor IS NOT NULL THEN
          IF EXISTS (
            SELECT 1 FROM bookings b
            WHERE b.tutor_id = p_named_tutor AND b.status IN ('confirmed', 'checked_in') AND b.during @> p_start
          ) THEN
            o_outcome := 'taken'; RETURN;
          END IF;
          -- (the cheap array test first: the query runs only when the batch has this tutor)
          IF p_named_tutor = ANY (p_pending_tutors) THEN
            IF EXISTS (SELECT 1 FROM unnest(p_pending_tutors, p_pending_during) AS p(t, d) WHERE p.t = p_named_tutor AND p.d @> p_start) THEN
              o_outcome := 'taken'; RETURN;
            END IF;
          END IF;
        END IF;

        PERFORM pg_advisory_xact_lock_shared(booking_guard_key('location', p_location));
        PERFORM pg_advisory_xact_lock_shared(booking_guard_key('tutor', t))
          FROM (SELECT DISTINCT unnest(p_tutors) AS t ORDER BY 1) AS candidates;
        SELECT v.version INTO current_version FROM search_input_version v;
        IF current_version IS DISTINCT FROM p_expected_version THEN
          o_outcome := 'stale'; o_version := current_version::text; RETURN;
        END IF;

        FOREACH lock_key IN ARRAY coalesce(p_contact_locks, '{}') LOOP
          PERFORM pg_advisory_xact_lock(lock_key);
        END LOOP;
        SELECT count(*)::int INTO o_held FROM bookings b
        WHERE b.location_id = p_location AND b.status IN ('confirmed', 'checked_in') AND upper(b.during) > p_now
          AND ((b.resident_phone = p_phone AND p_phone IS NOT NULL) OR (b.resident_email = p_email AND p_email IS NOT NULL));${DECIDE_CONTACT_CAP}

        FOR i IN 1 .. coalesce(array_length(p_tutors, 1), 0) LOOP
          CONTINUE WHEN EXISTS (
            SELECT 1 FROM tutor_absences a
            WHERE a.tutor_id = p_tutors[i] AND tstzrange(a.starts_at, a.ends_at) && tstzrange(p_start, p_ends[i])
          );
          -- What place_booking's INSERT finds: the reference taken (unique index) before the
          -- tutor's overlapping booking (exclusion constraint: try the next candidate).
          IF p_reference = ANY (p_pending_references) OR EXISTS (SELECT 1 FROM bookings b WHERE b.reference = p_reference) THEN
            o_outcome := 'reference-taken'; RETURN;
          END IF;
          session := tstzrange(p_start, p_ends[i], '[)');
          CONTINUE WHEN EXISTS (
            SELECT 1 FROM bookings b
            WHERE b.tutor_id = p_tutors[i] AND b.status IN ('confirmed', 'checked_in') AND b.during && session
          );
          IF p_tutors[i] = ANY (p_pending_tutors) THEN
            CONTINUE WHEN EXISTS (SELECT 1 FROM unnest(p_pending_tutors, p_pending_during) AS p(t, d) WHERE p.t = p_tutors[i] AND p.d && session);
          END IF;
          o_placed := i;
          o_outcome := 'booked';
          RETURN;
        END LOOP;
        o_outcome := 'none';
      END
      $$`;

/**
 * place_booking keeps its parameters and answers, and becomes decide_booking (with an empty batch)
 * followed by the writes, so the rules live in one function. Its INSERT can still meet a
 * concurrent transaction's booking of the tutor or its reference (the look-up cannot see a
 * booking not yet committed; the INSERT waits for it): it then decides again, now seeing that
 * booking (its rate-limit hits are counted already), which tries the next candidate or answers
 * `none` or `reference-taken`, as the candidate-by-candidate INSERT did before.
 */
export const PLACE_BOOKING_DECIDED = `
      CREATE OR REPLACE FUNCTION place_booking(
        p_now timestamptz,
        p_idem_key text, p_idem_lock bigint, p_idem_fresh_after timestamptz, p_request_hash bytea,
        p_rate_keys text[], p_rate_limits integer[], p_rate_window_start timestamptz,
        p_named_tutor uuid, p_start timestamptz,
        p_expected_version bigint,
        p_contact_locks bigint[],
        p_location uuid, p_phone text, p_email text, p_cap integer,
        p_booking_id uuid, p_reference text, p_topic uuid, p_language text, p_channel text,
        p_resident_name text, p_resident_language text, p_notes text, p_token_hash bytea,
        p_tutors uuid[], p_ends timestamptz[], p_payloads jsonb[], p_responses bytea[],
        p_actor_type text, p_actor_user uuid,
        OUT o_outcome text, OUT o_placed integer, OUT o_held integer, OUT o_version text,
        OUT o_stored_hash bytea, OUT o_stored_response bytea
      ) LANGUAGE plpgsql AS $$
      DECLARE
        d record;
        rate_keys text[] := p_rate_keys;
        conflict text;
      BEGIN
        LOOP
          d := decide_booking(
            p_now, p_idem_key, p_idem_lock, p_idem_fresh_after,
            rate_keys, p_rate_limits, p_rate_window_start,
            p_named_tutor, p_start, p_expected_version, p_contact_locks,
            p_location, p_phone, p_email, p_cap,
            p_reference, p_tutors, p_ends,
            '{}', '{}', '{}', '{}', '{}', '{}');
          o_outcome := d.o_outcome; o_placed := d.o_placed; o_held := d.o_held; o_version := d.o_version;
          o_stored_hash := d.o_stored_hash; o_stored_response := d.o_stored_response;
          IF o_outcome <> 'booked' THEN
            RETURN;
          END IF;
          BEGIN
            INSERT INTO bookings (id, reference, location_id, tutor_id, topic_id, language, kind, during, status, channel,
                                  resident_name, resident_phone, resident_email, resident_language, notes, manage_token_hash,
                                  created_at, updated_at)
            VALUES (p_booking_id, p_reference, p_location, p_tutors[o_placed], p_topic, p_language, 'tutoring',
                    tstzrange(p_start, p_ends[o_placed], '[)'), 'confirmed', p_channel, p_resident_name, p_phone, p_email,
                    p_resident_language, p_notes, p_token_hash, p_now, p_now);
            EXIT;
          EXCEPTION WHEN exclusion_violation OR unique_violation THEN
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
      $$`;

const PLACE_BOOKINGS_WRITING_ONCE = `
      CREATE OR REPLACE FUNCTION place_bookings(p_calls jsonb)
      RETURNS TABLE (o_index integer, o_outcome text, o_placed integer, o_held integer, o_version text,
                     o_stored_hash bytea, o_stored_response bytea)
      LANGUAGE plpgsql AS $$
      DECLARE
        c record;
        d record;
        -- the batch's bookings, column by column
        b_ids uuid[] := '{}';
        b_references text[] := '{}';
        b_locations uuid[] := '{}';
        b_tutors uuid[] := '{}';
        b_topics uuid[] := '{}';
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
        -- A request that waits for a lock would hold up the whole batch: past this the batch fails
        -- (55P03) and the app decides each request alone (migration 1763900008000).
        PERFORM set_config('lock_timeout', '500ms', true);
        FOR c IN
          SELECT * FROM ROWS FROM ${CALLS_AS_ROWS} WITH ORDINALITY AS x
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
            c.named_tutor, c.start, c.expected_version, c.contact_locks,
            c.location, c.phone, c.email, c.cap,
            c.reference, c.tutors, c.ends,
            b_tutors, b_during, b_references, b_locations, b_phones, b_emails);
          IF d.o_outcome = 'booked' THEN
            b_ids := array_append(b_ids, c.booking_id);
            b_references := array_append(b_references, c.reference);
            b_locations := array_append(b_locations, c.location);
            b_tutors := array_append(b_tutors, c.tutors[d.o_placed]);
            b_topics := array_append(b_topics, c.topic);
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
          -- No ON CONFLICT and no exception handler: a conflict with a concurrent transaction
          -- fails the batch, and the app decides each request alone (see above).
          INSERT INTO bookings (id, reference, location_id, tutor_id, topic_id, language, kind, during, status, channel,
                                resident_name, resident_phone, resident_email, resident_language, notes, manage_token_hash,
                                created_at, updated_at)
          SELECT id, ref, loc, tutor, topic, lang, 'tutoring', during, 'confirmed', channel,
                 name, phone, email, rlang, notes, token, at, at
          FROM unnest(b_ids, b_references, b_locations, b_tutors, b_topics, b_languages, b_during, b_channels,
                      b_names, b_phones, b_emails, b_resident_languages, b_notes, b_token_hashes, b_at)
               AS n(id, ref, loc, tutor, topic, lang, during, channel, name, phone, email, rlang, notes, token, at);
          INSERT INTO booking_events (booking_id, type, at, actor_type, actor_user_id, reason, payload)
          SELECT id, 'created', at, actor, actor_user, NULL, payload
          FROM unnest(b_ids, b_at, b_actor_types, b_actor_users, b_payloads) AS e(id, at, actor, actor_user, payload);
        END IF;
        IF cardinality(k_names) > 0 THEN
          INSERT INTO idempotency_keys (key, request_hash, status_code, response_encrypted, created_at)
          SELECT k, h, 201, r, t FROM unnest(k_names, k_hashes, k_responses, k_at) AS s(k, h, r, t);
        END IF;
      END
      $$`;

export class BatchWrites1763900009000 implements MigrationInterface {
  name = 'BatchWrites1763900009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(DECIDE_BOOKING);
    await q.query(PLACE_BOOKING_DECIDED);
    await q.query(PLACE_BOOKINGS_WRITING_ONCE);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(PLACE_BOOKINGS.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'));
    await q.query(withoutPurge(PLACE_BOOKING_V1));
    await q.query(`DROP FUNCTION decide_booking`);
  }
}
