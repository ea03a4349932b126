-- Online moves of a tenant between isolation tiers and PostgreSQL servers (docs/operations/tenant-moves.md).
-- Runs as the owner role. Control-plane data administered by super-admins, keyed by tenant id: no row-level security.
CREATE TABLE platform.relocation_jobs (
  id            uuid PRIMARY KEY,
  tenant_id     uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  node          text NOT NULL,
  from_tier     text NOT NULL CHECK (from_tier IN ('shared', 'schema', 'database')),
  from_host     text,
  from_port     integer,
  from_name     text,
  to_tier       text NOT NULL CHECK (to_tier IN ('shared', 'schema', 'database')),
  to_host       text,
  to_port       integer,
  to_name       text,
  -- copying -> catching_up -> paused -> switched (old copy kept for the grace period) -> done; or failed / cancelled
  phase         text NOT NULL CHECK (phase IN ('copying', 'catching_up', 'paused', 'switched', 'done', 'failed', 'cancelled')),
  cancel        boolean NOT NULL DEFAULT false,
  rows_copied   bigint NOT NULL DEFAULT 0,
  rows_caught_up bigint NOT NULL DEFAULT 0,
  pause_ms      integer,
  error         text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  switched_at   timestamptz,
  finished_at   timestamptz
);
CREATE INDEX relocation_jobs_tenant_idx ON platform.relocation_jobs (tenant_id, created_at);
-- One move at a time per tenant.
CREATE UNIQUE INDEX relocation_jobs_one_active ON platform.relocation_jobs (tenant_id)
  WHERE phase IN ('copying', 'catching_up', 'paused');

GRANT SELECT, INSERT, UPDATE, DELETE ON platform.relocation_jobs TO "${app_role}";
