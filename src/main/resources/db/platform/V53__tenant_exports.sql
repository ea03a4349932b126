-- Tenant export jobs (docs/export-format.md) and the installation's own id, which every bundle names as its source.
-- Runs as the owner role. Control-plane data administered by super-admins, keyed by tenant id: no row-level security.

CREATE TABLE platform.installation (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO platform.installation DEFAULT VALUES;

-- One export: the node that runs it writes the bundle to its data directory; progress is counted in parts.
CREATE TABLE platform.export_jobs (
  id                      uuid PRIMARY KEY,
  tenant_id               uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  include_password_hashes boolean NOT NULL DEFAULT false,
  state                   text NOT NULL CHECK (state IN ('running', 'done', 'failed', 'expired')),
  node                    text NOT NULL,
  parts_done              integer NOT NULL DEFAULT 0,
  records                 bigint NOT NULL DEFAULT 0,
  bytes                   bigint,
  sha256                  text,
  error                   text,
  created_at              timestamptz NOT NULL DEFAULT now(),
  finished_at             timestamptz,
  expires_at              timestamptz
);
CREATE INDEX export_jobs_tenant_idx ON platform.export_jobs (tenant_id, created_at);

GRANT SELECT ON platform.installation TO "${app_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON platform.export_jobs TO "${app_role}";
