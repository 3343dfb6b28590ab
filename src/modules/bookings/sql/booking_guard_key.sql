-- booking_guard_key: the advisory lock key of a branch ('location'), a tutor ('tutor') or a
-- tutor's booking INSERT ('tutor-insert').
--
-- Bookings take the branch's and the candidate tutors' keys shared (decide_booking); a schedule
-- change (a closure, an absence, new rules) takes its branch's or tutor's key exclusively after
-- writing and before listing the bookings it affects (AffectedBookingsService). So a booking and
-- a schedule change over it take turns, while bookings never wait for each other here.
CREATE OR REPLACE FUNCTION booking_guard_key(p_kind text, p_id uuid)
RETURNS bigint
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
AS $$ SELECT hashtextextended(p_kind || ':' || p_id::text, 0) $$;
