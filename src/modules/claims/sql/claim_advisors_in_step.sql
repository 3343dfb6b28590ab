-- claim_advisors copies each claim's time and whether it is approved, so that the EXCLUDE
-- constraint claim_advisors_not_double_claimed (migration 1763900040000) keeps an advisor out of
-- two approved claims at once. These triggers keep the copy in step: a new advisor row takes the
-- claim's values (whatever the insert says), and a change of the claim's time or status is
-- written to its advisor rows in the same statement, so an approval that would put an advisor in
-- two approved claims fails with 23P01 on that constraint.
CREATE OR REPLACE FUNCTION claim_advisors_from_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  SELECT c.during, c.status = 'approved' INTO NEW.during, NEW.approved FROM claims c WHERE c.id = NEW.claim_id;
  RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION claim_advisors_follow_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE claim_advisors SET during = NEW.during, approved = (NEW.status = 'approved') WHERE claim_id = NEW.id;
  RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER claim_advisors_from_claim BEFORE INSERT OR UPDATE ON claim_advisors
  FOR EACH ROW EXECUTE FUNCTION claim_advisors_from_claim();

CREATE OR REPLACE TRIGGER claims_advisors_follow AFTER UPDATE OF during, status ON claims
  FOR EACH ROW WHEN (OLD.during IS DISTINCT FROM NEW.during OR OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION claim_advisors_follow_claim();
