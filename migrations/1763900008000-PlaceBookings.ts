import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `place_bookings`: several booking requests decided in ONE transaction, one after another, each
 * by `place_booking` exactly as if it came alone. The app sends the requests that queued up while
 * its booking statement was busy (placeBookingWriter); at low load a batch holds one request.
 *
 * Why: under issue 6's benchmark most of PostgreSQL's CPU per booking was the transaction around
 * it (protocol round trip, snapshot, commit with its WAL flush, a backend woken and put to sleep),
 * not the function's statements. pgbench calling `place_booking` from a PL/pgSQL loop measured
 * ≈ 870 bookings/s at one per transaction and ≈ 1,300–1,550/s at 4–8 per transaction.
 *
 * Each element of `p_calls` is an object with place_booking's parameters without the `p_`
 * prefix (bytea as "\x…" hex strings, arrays as JSON arrays). The answer has one row per element,
 * `o_index` (from 1) saying which. A request's outcome can depend on an earlier one in the same
 * batch (it sees that booking, that rate-limit hit, that idempotency key) exactly as it would if
 * that request had committed just before it.
 *
 * An error in any request rolls back the whole batch; the app then decides each request alone,
 * so only the failing one fails (placeBookingWriter, BatchQueue). So does a lock wait longer than
 * half a second, so that one request's wait does not hold up the others for long.
 */
/**
 * place_bookings' argument as rows: one per call, place_booking's parameters by name. The app's
 * placeBookingsJson writes this shape; later versions of place_bookings read it the same way.
 */
export const CALLS_AS_ROWS = `(jsonb_to_recordset(p_calls) AS (
            now timestamptz, idem_key text, idem_lock bigint, idem_fresh_after timestamptz, request_hash bytea,
            rate_keys text[], rate_limits integer[], rate_window_start timestamptz,
            named_tutor uuid, start timestamptz, expected_version bigint, contact_locks bigint[],
            location uuid, phone text, email text, cap integer,
            booking_id uuid, reference text, topic uuid, language text, channel text,
            resident_name text, resident_language text, notes text, token_hash bytea,
            tutors uuid[], ends timestamptz[], payloads jsonb[], responses bytea[],
            actor_type text, actor_user uuid))`;

export const PLACE_BOOKINGS = `
      CREATE FUNCTION place_bookings(p_calls jsonb)
      RETURNS TABLE (o_index integer, o_outcome text, o_placed integer, o_held integer, o_version text,
                     o_stored_hash bytea, o_stored_response bytea)
      LANGUAGE plpgsql AS $$
      DECLARE
        c record;
      BEGIN
        -- A request that waits for a lock (a schedule change holding its branch, a booking of the
        -- same slot from another instance) would hold up the whole batch: past this the batch
        -- fails (55P03) and the app decides each request alone, so only that one waits.
        PERFORM set_config('lock_timeout', '500ms', true);
        FOR c IN
          SELECT * FROM ROWS FROM ${CALLS_AS_ROWS} WITH ORDINALITY AS x
          ORDER BY x.ordinality
        LOOP
          RETURN QUERY SELECT c.ordinality::integer, p.* FROM place_booking(
            c.now, c.idem_key, c.idem_lock, c.idem_fresh_after, c.request_hash,
            c.rate_keys, c.rate_limits, c.rate_window_start,
            c.named_tutor, c.start, c.expected_version, c.contact_locks,
            c.location, c.phone, c.email, c.cap,
            c.booking_id, c.reference, c.topic, c.language, c.channel,
            c.resident_name, c.resident_language, c.notes, c.token_hash,
            c.tutors, c.ends, c.payloads, c.responses,
            c.actor_type, c.actor_user) AS p;
        END LOOP;
      END
      $$`;

export class PlaceBookings1763900008000 implements MigrationInterface {
  name = 'PlaceBookings1763900008000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(PLACE_BOOKINGS);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION place_bookings`);
  }
}
