-- Indexes a tenant admin declares on a records collection (docs/records-api.md#indexes). The index itself lives
-- beside the records (shared.records, the tenant's schema or database), built off the request path with
-- CREATE INDEX CONCURRENTLY; this row is its declaration and its build status. Tenant-owned rows read by the runtime
-- role: forced row-level security, like collection_schemas.
CREATE TABLE platform.record_indexes (
  tenant_id  uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  collection text NOT NULL CHECK (collection ~ '^[a-z][a-z0-9_]{0,62}$'),
  name       text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_-]{0,62}$'),
  field      text NOT NULL CHECK (length(field) BETWEEN 1 AND 600),
  index_name text NOT NULL,
  status     text NOT NULL CHECK (status IN ('building', 'ready', 'failed', 'dropping')),
  error      text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, collection, name)
);

ALTER TABLE platform.record_indexes ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform.record_indexes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON platform.record_indexes
  USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));

GRANT SELECT, INSERT, UPDATE, DELETE ON platform.record_indexes TO "${app_role}";
