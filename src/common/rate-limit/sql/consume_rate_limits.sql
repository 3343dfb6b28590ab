-- consume_rate_limits: counts one hit for each key in the window starting at p_window_start and
-- answers every key's hits so far. The caller (RateLimiterService) compares them with the limits.
-- Keys are taken in a fixed order so that two callers never lock the same counters in opposite
-- orders. PL/pgSQL rather than SQL so that each session keeps the statement's plan.
CREATE OR REPLACE FUNCTION consume_rate_limits(p_keys text[], p_window_start timestamptz)
RETURNS TABLE (counter_key text, counter_hits integer)
LANGUAGE plpgsql
AS $$
BEGIN
  RETURN QUERY
    INSERT INTO rate_limit_counters AS c (key, window_start, hits)
    SELECT k, p_window_start, 1
    FROM (SELECT DISTINCT unnest(p_keys) AS k) AS keys
    ORDER BY k
    ON CONFLICT (key, window_start) DO UPDATE SET hits = c.hits + 1
    RETURNING c.key, c.hits;
END
$$;
