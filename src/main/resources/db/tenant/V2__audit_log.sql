-- The tenant's audit log, in its own tier (docs/audit.md): entries, the hash chain over them (seals) and the anchors
-- left by pruning. Append-only for the runtime role: INSERT and SELECT, never UPDATE, DELETE or TRUNCATE; the
-- owner role (migrations, pruning) owns the tables. Same row-level security as the records table.

CREATE TABLE ${schema}.audit_log (
  tenant_id      uuid NOT NULL CHECK (tenant_id = '${tenant_id}'::uuid),
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
CREATE INDEX audit_log_at_idx ON ${schema}.audit_log (tenant_id, at);

-- The chain: position n holds sha256(hash of n-1 || canonical form of the entry), appended by the sealer.
CREATE TABLE ${schema}.audit_seal (
  tenant_id uuid NOT NULL CHECK (tenant_id = '${tenant_id}'::uuid),
  position  bigint NOT NULL CHECK (position > 0),
  entry_id  uuid NOT NULL,
  hash      bytea NOT NULL CHECK (length(hash) = 32),
  sealed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, position),
  UNIQUE (tenant_id, entry_id)
);

-- Where a pruned prefix of the chain ended: verification starts from the latest anchor.
CREATE TABLE ${schema}.audit_anchor (
  tenant_id uuid NOT NULL CHECK (tenant_id = '${tenant_id}'::uuid),
  position  bigint NOT NULL CHECK (position > 0),
  hash      bytea NOT NULL CHECK (length(hash) = 32),
  pruned_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, position)
);

ALTER TABLE ${schema}.audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.audit_log FORCE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.audit_seal ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.audit_seal FORCE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.audit_anchor ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.audit_anchor FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON ${schema}.audit_log
  USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
CREATE POLICY tenant_isolation ON ${schema}.audit_seal
  USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
CREATE POLICY tenant_isolation ON ${schema}.audit_anchor
  USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));

GRANT SELECT, INSERT ON ${schema}.audit_log TO "${app_role}";
GRANT SELECT, INSERT ON ${schema}.audit_seal TO "${app_role}";
GRANT SELECT ON ${schema}.audit_anchor TO "${app_role}";
