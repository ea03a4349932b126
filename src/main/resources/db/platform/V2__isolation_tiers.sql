-- Isolation tiers: where a tenant's business data lives, and the bookkeeping of its own migrations.

ALTER TABLE platform.tenants DROP CONSTRAINT tenants_isolation_check;
ALTER TABLE platform.tenants ADD CONSTRAINT tenants_isolation_check
  CHECK (isolation IN ('shared', 'schema', 'database'));

-- 'provisioning': the row exists, its schema/database is being created; never served.
ALTER TABLE platform.tenants DROP CONSTRAINT tenants_status_check;
ALTER TABLE platform.tenants ADD CONSTRAINT tenants_status_check
  CHECK (status IN ('provisioning', 'active', 'suspended'));

-- A slug that looks like a UUID could be mistaken for another tenant's id in X-Tenant-ID.
ALTER TABLE platform.tenants ADD CONSTRAINT tenants_slug_not_uuid_check
  CHECK (slug !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$');

ALTER TABLE platform.tenants
  ADD COLUMN db_host         text,
  ADD COLUMN db_port         integer CHECK (db_port BETWEEN 1 AND 65535),
  ADD COLUMN db_name         text,
  -- Highest tenant migration applied (a cache of the tenant's own flyway history, so a no-op fleet
  -- migration needs one query, not one connection per tenant).
  ADD COLUMN schema_version  integer NOT NULL DEFAULT 0,
  ADD COLUMN migrated_at     timestamptz,
  ADD COLUMN migration_error text,
  ADD CONSTRAINT tenants_db_target_check
    CHECK ((isolation = 'database') = (db_host IS NOT NULL AND db_port IS NOT NULL AND db_name IS NOT NULL));

GRANT DELETE ON platform.tenants TO "${app_role}";

-- Two tenants can never share a database.
CREATE UNIQUE INDEX tenants_db_target_key ON platform.tenants (db_host, db_port, db_name) WHERE db_name IS NOT NULL;
