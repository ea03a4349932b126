-- Storage reservations (docs/storage.md): every blob the server is about to write or to remove has a row here first.
-- An upload's row reserves its bytes and file against the tenant's quota until its metadata is committed, so that
-- concurrent uploads cannot overshoot; a row whose expires_at has passed is the sweeper's: it deletes the blob
-- unless metadata references it, then the row. Control-plane bookkeeping keyed by tenant id, read by every node's
-- sweeper across tenants, so, like tenant_limits, no row-level security.

CREATE TABLE platform.storage_reservations (
  id         uuid PRIMARY KEY,
  tenant_id  uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  blob       text NOT NULL CHECK (blob ~ '^[0-9a-f]{32}$'),
  bytes      bigint NOT NULL CHECK (bytes >= 0),
  files      integer NOT NULL CHECK (files IN (0, 1)),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX storage_reservations_tenant_idx ON platform.storage_reservations (tenant_id);
CREATE INDEX storage_reservations_expires_idx ON platform.storage_reservations (expires_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON platform.storage_reservations TO "${app_role}";
