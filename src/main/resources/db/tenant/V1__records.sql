-- A tenant's own records table, in its schema (schema tier) or in schema "tenant" of its database
-- (database tier). Same shape and the same row-level security as shared.records: defence in depth,
-- so a wrong schema or database alone still shows nothing of another tenant.

CREATE TABLE ${schema}.records (
  tenant_id  uuid NOT NULL CHECK (tenant_id = '${tenant_id}'::uuid),
  collection text NOT NULL CHECK (collection ~ '^[a-z][a-z0-9_]{0,62}$'),
  id         uuid NOT NULL,
  version    bigint NOT NULL DEFAULT 1 CHECK (version > 0),
  data       jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, collection, id)
);

ALTER TABLE ${schema}.records ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.records FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON ${schema}.records
  USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));

GRANT USAGE ON SCHEMA ${schema} TO "${app_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON ${schema}.records TO "${app_role}";
