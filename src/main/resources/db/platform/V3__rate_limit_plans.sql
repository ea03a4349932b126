-- Rate-limit plans and per-tenant overrides (issue 4). Runs as the owner role; the runtime role gets only the
-- grants below. Limits are control-plane data administered by super-admins and read by every node for every
-- tenant (one bulk query refreshes a node's cache), so, like memberships, these tables carry no row-level security.

-- A plan: requests per second and burst for the whole tenant, an optional per-user sub-limit (both or neither),
-- and what a write costs in requests (reads cost 1).
CREATE TABLE platform.plans (
  name       text PRIMARY KEY CHECK (name ~ '^[a-z0-9-]{1,40}$'),
  rate       integer NOT NULL CHECK (rate BETWEEN 1 AND 1000000),
  burst      integer NOT NULL CHECK (burst BETWEEN 1 AND 1000000),
  user_rate  integer CHECK (user_rate BETWEEN 1 AND 1000000),
  user_burst integer CHECK (user_burst BETWEEN 1 AND 1000000),
  write_cost integer NOT NULL DEFAULT 1 CHECK (write_cost BETWEEN 1 AND 100),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((user_rate IS NULL) = (user_burst IS NULL))
);

INSERT INTO platform.plans (name, rate, burst) VALUES ('default', 100, 200);

-- Every tenant is on a plan; existing and new tenants start on 'default'.
ALTER TABLE platform.tenants ADD COLUMN plan text NOT NULL DEFAULT 'default' REFERENCES platform.plans (name);

-- A super-admin's per-tenant override: each non-null column replaces the plan's value.
CREATE TABLE platform.tenant_limits (
  tenant_id  uuid PRIMARY KEY REFERENCES platform.tenants (id) ON DELETE CASCADE,
  rate       integer CHECK (rate BETWEEN 1 AND 1000000),
  burst      integer CHECK (burst BETWEEN 1 AND 1000000),
  user_rate  integer CHECK (user_rate BETWEEN 1 AND 1000000),
  user_burst integer CHECK (user_burst BETWEEN 1 AND 1000000),
  write_cost integer CHECK (write_cost BETWEEN 1 AND 100),
  updated_at timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE ON platform.plans TO "${app_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON platform.tenant_limits TO "${app_role}";
