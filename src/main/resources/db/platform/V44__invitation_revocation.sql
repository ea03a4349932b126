-- A tenant_admin can withdraw an invitation before it is accepted: its token then finds a revoked invitation (410).
ALTER TABLE platform.invitations ADD COLUMN revoked_at timestamptz,
  ADD CONSTRAINT invitations_revoked_or_accepted_check CHECK (revoked_at IS NULL OR accepted_at IS NULL);
-- The tenant's invitations, newest last, paged by id (ids are UUID v7: time-ordered).
CREATE INDEX invitations_tenant_id_idx ON platform.invitations (tenant_id, id);
DROP INDEX platform.invitations_tenant_idx;
