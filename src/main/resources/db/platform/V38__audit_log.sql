-- Audit log (docs/audit.md). shared.audit_* hold the entries, seals and pruning anchors of shared-tier tenants,
-- under the same forced row-level security as shared.records; schema- and database-tier tenants have the same
-- tables in their own tier (db/tenant/V2). platform.audit_log holds actions that concern no tenant (plans, tenant
-- creation). The runtime role may only INSERT and SELECT (anchors: SELECT); the owner role owns and prunes.

CREATE TABLE shared.audit_log (
  tenant_id      uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  id             uuid NOT NULL,
  at             timestamptz NOT NULL DEFAULT now(),
  actor_user     uuid,
  actor_key      uuid,
  impersonator   uuid,
  action         text NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
  target         text CHECK (length(target) <= 500),
  outcome        text NOT NULL CHECK (outcome IN ('success', 'denied', 'failed')),
  status         integer CHECK (status BETWEEN 100 AND 599),
  request_id     text CHECK (length(request_id) <= 200),
  client_address text CHECK (length(client_address) <= 100),
  detail         jsonb,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_at_idx ON shared.audit_log (tenant_id, at);

CREATE TABLE shared.audit_seal (
  tenant_id uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  position  bigint NOT NULL CHECK (position > 0),
  entry_id  uuid NOT NULL,
  hash      bytea NOT NULL CHECK (length(hash) = 32),
  sealed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, position),
  UNIQUE (tenant_id, entry_id)
);

CREATE TABLE shared.audit_anchor (
  tenant_id uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  position  bigint NOT NULL CHECK (position > 0),
  hash      bytea NOT NULL CHECK (length(hash) = 32),
  pruned_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, position)
);

ALTER TABLE shared.audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE shared.audit_log FORCE ROW LEVEL SECURITY;
ALTER TABLE shared.audit_seal ENABLE ROW LEVEL SECURITY;
ALTER TABLE shared.audit_seal FORCE ROW LEVEL SECURITY;
ALTER TABLE shared.audit_anchor ENABLE ROW LEVEL SECURITY;
ALTER TABLE shared.audit_anchor FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON shared.audit_log
  USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
CREATE POLICY tenant_isolation ON shared.audit_seal
  USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
CREATE POLICY tenant_isolation ON shared.audit_anchor
  USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));

GRANT SELECT, INSERT ON shared.audit_log TO "${app_role}";
GRANT SELECT, INSERT ON shared.audit_seal TO "${app_role}";
GRANT SELECT ON shared.audit_anchor TO "${app_role}";

-- Tenantless actions (a plan edited, a tenant created): no tenant context, so no row-level security; super-admins
-- read it. Not hash-chained (docs/audit.md).
CREATE TABLE platform.audit_log (
  id             uuid PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  actor_user     uuid,
  actor_key      uuid,
  impersonator   uuid,
  action         text NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
  target         text CHECK (length(target) <= 500),
  outcome        text NOT NULL CHECK (outcome IN ('success', 'denied', 'failed')),
  status         integer CHECK (status BETWEEN 100 AND 599),
  request_id     text CHECK (length(request_id) <= 200),
  client_address text CHECK (length(client_address) <= 100),
  detail         jsonb
);
CREATE INDEX platform_audit_log_at_idx ON platform.audit_log (at);

GRANT SELECT, INSERT ON platform.audit_log TO "${app_role}";
