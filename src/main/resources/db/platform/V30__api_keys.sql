-- API keys for machine clients. Control-plane data like memberships, without row-level security: a key is found by
-- its id when presented, before any tenant context can exist. Only the SHA-256 of a key's 256-bit random secret is
-- kept: whoever can read this table cannot use a key.
CREATE TABLE platform.api_keys (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  scopes       text[] NOT NULL,
  secret_hash  bytea NOT NULL CHECK (length(secret_hash) = 32),
  created_by   uuid NOT NULL REFERENCES platform.users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_keys_tenant_idx ON platform.api_keys (tenant_id, id);

GRANT SELECT, INSERT, UPDATE ON platform.api_keys TO "${app_role}";
