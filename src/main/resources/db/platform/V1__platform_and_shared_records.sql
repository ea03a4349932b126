-- Platform schema (shared reference data) and the shared tier's records table.
-- Runs as the owner role (Flyway initSql: SET ROLE owner); the runtime role gets only the grants below.

REVOKE ALL ON SCHEMA public FROM PUBLIC;

CREATE TABLE platform.tenants (
  id          uuid PRIMARY KEY,
  slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{3,63}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  isolation   text NOT NULL DEFAULT 'shared' CHECK (isolation IN ('shared')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE platform.users (
  id            uuid PRIMARY KEY,
  email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  password_hash text NOT NULL,
  super_admin   boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON platform.users (lower(email));

CREATE TABLE platform.memberships (
  user_id    uuid NOT NULL REFERENCES platform.users (id) ON DELETE CASCADE,
  tenant_id  uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  role       text NOT NULL CHECK (role IN ('tenant_admin', 'member', 'read_only')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, tenant_id)
);
CREATE INDEX memberships_tenant_idx ON platform.memberships (tenant_id);

CREATE SCHEMA shared;

-- Business data of shared-tier tenants. Isolation is enforced by the policy below, on the
-- transaction-local setting app.tenant_id: a connection without it sees and writes nothing.
CREATE TABLE shared.records (
  tenant_id  uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  collection text NOT NULL CHECK (collection ~ '^[a-z][a-z0-9_]{0,62}$'),
  id         uuid NOT NULL,
  version    bigint NOT NULL DEFAULT 1 CHECK (version > 0),
  data       jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, collection, id)
);

ALTER TABLE shared.records ENABLE ROW LEVEL SECURITY;
ALTER TABLE shared.records FORCE ROW LEVEL SECURITY;

-- The sub-select makes the setting read once per statement; '' (what a committed set_config(..., true)
-- leaves behind) and an absent setting both become NULL, which matches no row.
CREATE POLICY tenant_isolation ON shared.records
  USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));

GRANT USAGE ON SCHEMA platform TO "${app_role}";
GRANT USAGE ON SCHEMA shared TO "${app_role}";
GRANT SELECT, INSERT, UPDATE ON platform.tenants TO "${app_role}";
GRANT SELECT, INSERT, UPDATE ON platform.users TO "${app_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON platform.memberships TO "${app_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON shared.records TO "${app_role}";
