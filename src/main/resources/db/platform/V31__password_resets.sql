-- Password resets: like invitations, single use (used_at), expiring, and only the SHA-256 of the token is kept, so
-- reading this table (or a backup of it) does not let anyone set a password. The token goes only into the e-mail
-- written to platform.outbox in the same transaction.
CREATE TABLE platform.password_resets (
  id         uuid PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES platform.users (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX password_resets_user_idx ON platform.password_resets (user_id);

-- A tenant's member list pages by user id within the tenant.
CREATE INDEX memberships_tenant_user_idx ON platform.memberships (tenant_id, user_id);

GRANT SELECT, INSERT, UPDATE ON platform.password_resets TO "${app_role}";
