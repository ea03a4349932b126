-- Tenant templates (docs/tenants.md#templates): a named tier, plan, configuration values, collections with their
-- JSON Schemas and seed records, validated by the server before they are written. Administered by super-admins.
CREATE TABLE platform.tenant_templates (
  name       text PRIMARY KEY CHECK (name ~ '^[a-z0-9-]{1,63}$'),
  body       jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE, DELETE ON platform.tenant_templates TO "${app_role}";
