-- Subtree budgets (issue 14): a tenant's budget shared by itself and every descendant (rate, burst), the default cap
-- of each direct child's subtree within it (child_rate, child_burst), and this tenant's own cap within its parent's
-- subtree budget, overriding the parent's default (cap_rate, cap_burst). Each pair is both set or both null. Control
-- plane data read by every node for every tenant under a budget, so, like tenant_limits, no row-level security.
CREATE TABLE platform.subtree_limits (
  tenant_id   uuid PRIMARY KEY REFERENCES platform.tenants (id) ON DELETE CASCADE,
  rate        integer CHECK (rate BETWEEN 1 AND 1000000),
  burst       integer CHECK (burst BETWEEN 1 AND 1000000),
  child_rate  integer CHECK (child_rate BETWEEN 1 AND 1000000),
  child_burst integer CHECK (child_burst BETWEEN 1 AND 1000000),
  cap_rate    integer CHECK (cap_rate BETWEEN 1 AND 1000000),
  cap_burst   integer CHECK (cap_burst BETWEEN 1 AND 1000000),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((rate IS NULL) = (burst IS NULL)),
  CHECK ((child_rate IS NULL) = (child_burst IS NULL)),
  CHECK ((cap_rate IS NULL) = (cap_burst IS NULL)),
  CHECK (child_rate IS NULL OR rate IS NOT NULL)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON platform.subtree_limits TO "${app_role}";
