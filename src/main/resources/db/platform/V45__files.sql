-- File storage (docs/storage.md): the shared tier's file metadata, under the same forced row-level security as
-- shared.records, and the storage quotas of plans and per-tenant overrides. Blobs themselves live outside
-- PostgreSQL (the local data directory or an S3-compatible store) under names the server makes.

CREATE TABLE shared.files (
  tenant_id    uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  path         text NOT NULL CHECK (octet_length(path) BETWEEN 1 AND 1024),
  blob         text NOT NULL CHECK (blob ~ '^[0-9a-f]{32}$'),
  size         bigint NOT NULL CHECK (size >= 0),
  content_type text NOT NULL CHECK (length(content_type) BETWEEN 1 AND 255),
  sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  uploader     uuid,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, path),
  UNIQUE (tenant_id, blob)
);

ALTER TABLE shared.files ENABLE ROW LEVEL SECURITY;
ALTER TABLE shared.files FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON shared.files
  USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));

GRANT SELECT, INSERT, UPDATE, DELETE ON shared.files TO "${app_role}";

-- Storage quotas: NULL is no limit. An override's non-null value replaces the plan's.
ALTER TABLE platform.plans
  ADD COLUMN storage_bytes bigint CHECK (storage_bytes >= 0),
  ADD COLUMN storage_files bigint CHECK (storage_files >= 0);
ALTER TABLE platform.tenant_limits
  ADD COLUMN storage_bytes bigint CHECK (storage_bytes >= 0),
  ADD COLUMN storage_files bigint CHECK (storage_files >= 0);
