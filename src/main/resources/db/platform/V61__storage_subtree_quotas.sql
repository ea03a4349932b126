-- Storage quotas shared by a subtree (docs/storage.md "Quotas"). A tenant's override may declare a quota that its
-- whole subtree (itself and every tenant below it) shares; NULL is none.
ALTER TABLE platform.tenant_limits
  ADD COLUMN storage_subtree_bytes bigint CHECK (storage_subtree_bytes >= 0),
  ADD COLUMN storage_subtree_files bigint CHECK (storage_subtree_files >= 0);

-- Each tenant's committed file usage, recounted from its own tier whenever a reservation is released (an upload
-- committed, a file deleted or replaced, an expired reservation swept), so that a subtree's usage is one query here
-- rather than a scan of every tier below it. Purged with the tenant.
CREATE TABLE platform.storage_usage (
  tenant_id  uuid PRIMARY KEY REFERENCES platform.tenants (id) ON DELETE CASCADE,
  bytes      bigint NOT NULL CHECK (bytes >= 0),
  files      bigint NOT NULL CHECK (files >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE, DELETE ON platform.storage_usage TO "${app_role}";
