-- A tenant's file metadata (docs/storage.md), in its schema (schema tier) or in schema "tenant" of its database
-- (database tier): the shape and the row-level security of shared.files, as defence in depth.

CREATE TABLE ${schema}.files (
  tenant_id    uuid NOT NULL CHECK (tenant_id = '${tenant_id}'::uuid),
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

ALTER TABLE ${schema}.files ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.files FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON ${schema}.files
  USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));

GRANT SELECT, INSERT, UPDATE, DELETE ON ${schema}.files TO "${app_role}";
