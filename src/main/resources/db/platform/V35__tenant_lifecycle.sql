-- The tenant lifecycle (docs/tenants.md#lifecycle): archived (read-only) and deleted (soft, restorable within
-- tenancy.delete-grace-seconds, then purged). A deleted tenant keeps its row, so its slug stays taken until the purge.
ALTER TABLE platform.tenants DROP CONSTRAINT tenants_status_check;
ALTER TABLE platform.tenants ADD CONSTRAINT tenants_status_check
  CHECK (status IN ('provisioning', 'active', 'suspended', 'archived', 'deleted'));
ALTER TABLE platform.tenants ADD COLUMN deleted_at timestamptz;
-- what restore brings a deleted tenant back to
ALTER TABLE platform.tenants ADD COLUMN status_before_delete text
  CHECK (status_before_delete IN ('active', 'suspended', 'archived'));
CREATE INDEX tenants_deleted_at ON platform.tenants (deleted_at) WHERE status = 'deleted';

-- One row per purge: the tenant row is gone afterwards, so this is the record that it happened and what went.
CREATE TABLE platform.tenant_purges (
  tenant_id  uuid PRIMARY KEY,
  slug       text NOT NULL,
  isolation  text NOT NULL,
  deleted_at timestamptz NOT NULL,
  purged_at  timestamptz NOT NULL DEFAULT now(),
  removed    text NOT NULL
);

GRANT SELECT, INSERT ON platform.tenant_purges TO "${app_role}";
