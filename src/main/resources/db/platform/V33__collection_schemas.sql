-- Collection schemas: a tenant's JSON Schema (draft 2020-12) per records collection (docs/collection-schemas.md).
-- Runs as the owner role. Tenant-owned rows read by the runtime role: forced row-level security, like the records
-- tables; every statement sets its own transaction-local app.tenant_id.
CREATE TABLE platform.collection_schemas (
  tenant_id  uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  collection text NOT NULL CHECK (collection ~ '^[a-z][a-z0-9_]{0,62}$'),
  schema     jsonb NOT NULL,
  version    bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, collection)
);

ALTER TABLE platform.collection_schemas ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform.collection_schemas FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON platform.collection_schemas
  USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));

-- Bumped by every change to a tenant's collection schemas; 0 = it never declared one. Read with the tenant (which
-- every node caches and evicts on change notices), so a record write in a tenant without schemas costs no lookup
-- of its own, and a cached compiled schema is known stale when the tenant's number moved on.
ALTER TABLE platform.tenants ADD COLUMN collection_schemas bigint NOT NULL DEFAULT 0;

GRANT SELECT, INSERT, UPDATE, DELETE ON platform.collection_schemas TO "${app_role}";
