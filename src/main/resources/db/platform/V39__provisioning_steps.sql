-- Provisioning as recorded steps (docs/tenants.md#provisioning): one job per tenant being (or once) provisioned,
-- holding what the creation asked for (a template's contents are copied in, so a retry after the template changed
-- still builds what was asked), and one row per named step with its state, timing and last error. Rows go with
-- the tenant. A tenant is 'provisioning' until every step is done or skipped.
CREATE TABLE platform.provisioning_jobs (
  tenant_id  uuid PRIMARY KEY REFERENCES platform.tenants (id) ON DELETE CASCADE,
  spec       jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE platform.provisioning_steps (
  tenant_id   uuid NOT NULL REFERENCES platform.provisioning_jobs (tenant_id) ON DELETE CASCADE,
  position    int NOT NULL CHECK (position BETWEEN 1 AND 100),
  name        text NOT NULL CHECK (name ~ '^[a-z_]{1,40}$'),
  state       text NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed', 'skipped')),
  attempts    int NOT NULL DEFAULT 0,
  started_at  timestamptz,
  finished_at timestamptz,
  error       text,
  PRIMARY KEY (tenant_id, position)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON platform.provisioning_jobs TO "${app_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON platform.provisioning_steps TO "${app_role}";
