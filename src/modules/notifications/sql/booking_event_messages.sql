-- The outbox's source: every booking event someone must hear about becomes rows in `messages`,
-- in the transaction that writes the event, whichever code path wrote it (the booking statement,
-- a resident's or the desk's change, a cascade). One statement trigger for every INSERT into
-- booking_events (a batch of bookings is one INSERT: one pass over its rows). The worker
-- (src/modules/notifications/outbox.service.ts) renders and delivers them.
--
-- Who hears what:
-- - the resident, on each contact given (e-mail, SMS): booked, moved, cancelled (with the cause;
--   a closure's reason is public and is kept, any other reason is not: an absence's may be health
--   data, a staff member's is not written for the resident), a new manage link (a resident's
--   "lost link" request names the one contact it goes to: `payload.contact`);
-- - the resident's reminders, per the branch's `reminders` policy, due `hoursBefore` the start
--   (not when that is already past); a move re-times them, a cancellation cancels them;
-- - the users of the session's tutor who have not opted out (`users.notify`): booked, cancelled;
--   a move to another tutor is a cancellation for one and a booking for the other;
-- - the staff of the branch (notify on) when a tutor's absence recorded elsewhere hits a booking.
CREATE OR REPLACE FUNCTION booking_event_messages()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  -- Reminders not yet sent of bookings moved or cancelled.
  UPDATE messages m SET status = 'cancelled'
  FROM added_events e
  WHERE e.type IN ('rescheduled', 'cancelled') AND m.booking_id = e.booking_id
    AND m.template = 'booking-reminder' AND m.status IN ('queued', 'failed');

  WITH resident AS (
    SELECT e.id AS event_id, e.at, b.id AS booking_id, b.location_id, b.resident_language, b.resident_email, b.resident_phone,
           e.payload->>'contact' AS only_channel,
           CASE e.type
             WHEN 'created' THEN 'booking-confirmed'
             WHEN 'rescheduled' THEN 'booking-rescheduled'
             WHEN 'cancelled' THEN 'booking-cancelled'
             WHEN 'manage_link_renewed' THEN 'manage-link'
           END AS template,
           CASE e.type
             WHEN 'created' THEN jsonb_build_object('start', e.payload->'start', 'end', e.payload->'end')
             WHEN 'rescheduled' THEN jsonb_build_object('start', e.payload#>'{to,start}', 'end', e.payload#>'{to,end}', 'previousStart', e.payload#>'{from,start}')
             WHEN 'cancelled' THEN jsonb_build_object('start', e.payload->'start', 'end', e.payload->'end', 'cause', c.cause)
                                   || CASE WHEN c.cause = 'closure' AND e.reason IS NOT NULL THEN jsonb_build_object('reason', e.reason) ELSE '{}' END
             ELSE '{}'::jsonb
           END AS params
    FROM added_events e
    JOIN bookings b ON b.id = e.booking_id
    CROSS JOIN LATERAL (SELECT CASE
             WHEN e.payload->'cascade' ? 'closureId' THEN 'closure'
             WHEN e.payload->'cascade' ? 'absenceId' THEN 'absence'
             WHEN e.payload->'cascade' ? 'deactivatedLocationId' THEN 'location-removed'
             WHEN e.payload->'cascade' ? 'claimId' OR e.payload ? 'claimId' THEN 'claim-cancelled'
             WHEN e.payload ? 'cascade' THEN 'hours-changed'
             WHEN e.actor_type = 'resident' THEN 'resident'
             ELSE 'library'
           END AS cause) c
    WHERE e.type IN ('created', 'rescheduled', 'cancelled', 'manage_link_renewed')
  ),
  reminder AS (
    SELECT e.id AS event_id, e.at, b.id AS booking_id, b.location_id, b.resident_language,
           r.channel, lower(b.during) - make_interval(hours => r.hours) AS due, r.hours,
           CASE WHEN r.channel = 'sms' THEN coalesce(b.resident_phone, b.resident_email) ELSE coalesce(b.resident_email, b.resident_phone) END AS recipient
    FROM added_events e
    JOIN bookings b ON b.id = e.booking_id AND b.status = 'confirmed'
    JOIN locations l ON l.id = b.location_id
    CROSS JOIN LATERAL (SELECT (x->>'hoursBefore')::int AS hours, x->>'channel' AS channel FROM jsonb_array_elements(l.reminders) AS x) r
    WHERE e.type IN ('created', 'rescheduled')
  ),
  tutor_change AS (
    -- Each tutor hears of their own session: the old tutor of a move the time they lose.
    SELECT e.id AS event_id, e.at, e.booking_id, t.tutor_id, t.template,
           jsonb_build_object('start', t.span->'start', 'end', t.span->'end') || t.extra AS params
    FROM added_events e
    CROSS JOIN LATERAL (VALUES
      ((e.payload->>'tutorId')::uuid, CASE e.type WHEN 'created' THEN 'session-booked' WHEN 'cancelled' THEN 'session-cancelled' END,
       e.payload, '{}'::jsonb),
      ((e.payload#>>'{from,tutorId}')::uuid,
       CASE WHEN e.type = 'rescheduled' AND e.payload#>>'{from,tutorId}' <> e.payload#>>'{to,tutorId}' THEN 'session-cancelled' END,
       e.payload->'from', '{}'::jsonb),
      ((e.payload#>>'{to,tutorId}')::uuid,
       CASE WHEN e.type = 'rescheduled' THEN CASE WHEN e.payload#>>'{from,tutorId}' = e.payload#>>'{to,tutorId}' THEN 'session-moved' ELSE 'session-booked' END END,
       e.payload->'to', jsonb_build_object('previousStart', e.payload#>'{from,start}'))
    ) AS t(tutor_id, template, span, extra)
    WHERE e.type IN ('created', 'rescheduled', 'cancelled') AND t.template IS NOT NULL AND t.tutor_id IS NOT NULL
  )
  INSERT INTO messages (booking_id, location_id, template, language, channel, recipient_kind, recipient_user_id, recipient, params, next_attempt_at, created_at)
  SELECT r.booking_id, r.location_id, r.template, r.resident_language, c.channel, 'resident', NULL::uuid, c.recipient, r.params, r.at, r.at
  FROM resident r
  CROSS JOIN LATERAL (VALUES ('email', r.resident_email), ('sms', r.resident_phone)) AS c(channel, recipient)
  WHERE c.recipient IS NOT NULL AND (r.only_channel IS NULL OR r.only_channel = c.channel)
  UNION ALL
  SELECT r.booking_id, r.location_id, 'booking-reminder', r.resident_language,
         CASE WHEN r.recipient LIKE '+%' THEN 'sms' ELSE 'email' END, 'resident', NULL, r.recipient,
         jsonb_build_object('hoursBefore', r.hours), r.due, r.at
  FROM reminder r
  WHERE r.due > r.at AND r.recipient IS NOT NULL
  UNION ALL
  SELECT b.id, b.location_id, tc.template, 'fi', 'email', 'user', u.id, u.email, tc.params, tc.at, tc.at
  FROM tutor_change tc
  JOIN bookings b ON b.id = tc.booking_id
  JOIN users u ON u.tutor_id = tc.tutor_id AND u.active AND u.notify
  UNION ALL
  SELECT b.id, b.location_id, 'tutor-absent', 'fi', 'email', 'user', u.id, u.email,
         jsonb_build_object('start', lower(b.during), 'end', upper(b.during)), e.at, e.at
  FROM added_events e
  JOIN bookings b ON b.id = e.booking_id
  JOIN users u ON u.role = 'staff' AND u.active AND u.notify AND b.location_id = ANY (u.location_ids)
  WHERE e.type = 'tutor-absent';

  PERFORM pg_notify('tukiaika_messages', '') WHERE EXISTS (SELECT 1 FROM added_events);
  RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER booking_events_messages
  AFTER INSERT ON booking_events REFERENCING NEW TABLE AS added_events
  FOR EACH STATEMENT EXECUTE FUNCTION booking_event_messages();

-- The manage token reaches the booking encrypted in the payload of the event that gives the
-- resident a link (`created`, `manage_link_renewed`): kept on the booking (replacing the old one)
-- and left out of the event, which lives longer than the link.
CREATE OR REPLACE FUNCTION keep_manage_token()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  UPDATE bookings SET manage_token_encrypted = decode(NEW.payload->>'manageTokenBox', 'base64') WHERE id = NEW.booking_id;
  NEW.payload := NEW.payload - 'manageTokenBox';
  RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER booking_events_keep_manage_token
  BEFORE INSERT ON booking_events
  FOR EACH ROW WHEN (NEW.payload ? 'manageTokenBox') EXECUTE FUNCTION keep_manage_token();
