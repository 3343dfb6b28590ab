-- Partner claims' events become messages, as booking events do (booking_event_messages.sql): the
-- users of the claim's partner (role partner, active, notify on) hear when a claim is approved,
-- rejected or cancelled, with the library's reason for a rejection or cancellation (written for
-- them). The residents booked into a cancelled claim hear from their bookings' own `cancelled`
-- events (cause claim-cancelled).
CREATE OR REPLACE FUNCTION claim_event_messages()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  INSERT INTO messages (claim_id, location_id, template, language, channel, recipient_kind, recipient_user_id, recipient, params, next_attempt_at, created_at)
  SELECT c.id, c.location_id, 'claim-' || e.type, 'fi', 'email', 'user', u.id, u.email,
         jsonb_build_object('start', lower(c.during), 'end', upper(c.during))
           || CASE WHEN e.type IN ('rejected', 'cancelled') AND e.reason IS NOT NULL THEN jsonb_build_object('reason', e.reason) ELSE '{}' END,
         e.at, e.at
  FROM added_claim_events e
  JOIN claims c ON c.id = e.claim_id
  JOIN users u ON u.role = 'partner' AND u.partner_id = c.partner_id AND u.active AND u.notify
  WHERE e.type IN ('approved', 'rejected', 'cancelled');

  PERFORM pg_notify('tukiaika_messages', '') WHERE EXISTS (SELECT 1 FROM added_claim_events);
  RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER claim_events_messages
  AFTER INSERT ON claim_events REFERENCING NEW TABLE AS added_claim_events
  FOR EACH STATEMENT EXECUTE FUNCTION claim_event_messages();
