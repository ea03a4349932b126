-- One counter that every change to what the rate limits are made of bumps, in the changing transaction: plans,
-- overrides, subtree budgets, a tenant's plan or place in the hierarchy. A node's limits cache reads this one row each
-- refresh period and reloads its tenants' limits only when the number moved — instead of one query for every held
-- tenant twice a second. Being a row (not a sequence), a new value is seen only once the change it counts is
-- committed, so a reload that follows it sees that change.
CREATE TABLE platform.limits_version (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  version  bigint  NOT NULL
);
INSERT INTO platform.limits_version (version) VALUES (1);

CREATE FUNCTION platform.bump_limits_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE platform.limits_version SET version = version + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER limits_version AFTER INSERT OR UPDATE OR DELETE ON platform.plans
  FOR EACH STATEMENT EXECUTE FUNCTION platform.bump_limits_version();
CREATE TRIGGER limits_version AFTER INSERT OR UPDATE OR DELETE ON platform.tenant_limits
  FOR EACH STATEMENT EXECUTE FUNCTION platform.bump_limits_version();
CREATE TRIGGER limits_version AFTER INSERT OR UPDATE OR DELETE ON platform.subtree_limits
  FOR EACH STATEMENT EXECUTE FUNCTION platform.bump_limits_version();
CREATE TRIGGER limits_version AFTER UPDATE OF plan, path ON platform.tenants
  FOR EACH STATEMENT EXECUTE FUNCTION platform.bump_limits_version();

GRANT SELECT, UPDATE ON platform.limits_version TO "${app_role}";
