-- Values of the platform-declared settings (src/main/resources/settings/): per tenant, and per user within a tenant
-- for the settings that allow it (docs/configuration.md). Control-plane data like memberships, without row-level
-- security: every statement is keyed by tenant id. Values are JSON, validated against the setting's schema by the
-- server before they are written; a key the platform stops declaring is ignored when read.
CREATE TABLE platform.tenant_settings (
  tenant_id  uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  key        text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_.]{0,99}$'),
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);

CREATE TABLE platform.user_settings (
  tenant_id  uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  user_id    uuid NOT NULL REFERENCES platform.users (id) ON DELETE CASCADE,
  key        text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_.]{0,99}$'),
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id, key)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON platform.tenant_settings TO "${app_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON platform.user_settings TO "${app_role}";
