-- Sessions: rotating refresh tokens grouped in families (one family per sign-in), revoked access tokens by jti, and
-- a per-user "not before" that ends every access token issued earlier. Only the SHA-256 of a refresh token is kept.
CREATE TABLE platform.refresh_tokens (
  id          uuid PRIMARY KEY,
  family_id   uuid NOT NULL,
  user_id     uuid NOT NULL REFERENCES platform.users (id) ON DELETE CASCADE,
  tenant_id   uuid REFERENCES platform.tenants (id) ON DELETE CASCADE,
  token_hash  bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  access_jti  uuid NOT NULL,
  access_exp  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  spent_at    timestamptz,
  revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON platform.refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON platform.refresh_tokens (user_id);
CREATE INDEX refresh_tokens_access_jti_idx ON platform.refresh_tokens (access_jti);

CREATE TABLE platform.revoked_tokens (
  jti        uuid PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

CREATE TABLE platform.user_sessions_not_before (
  user_id    uuid PRIMARY KEY REFERENCES platform.users (id) ON DELETE CASCADE,
  not_before bigint NOT NULL
);

GRANT SELECT, INSERT, UPDATE ON platform.refresh_tokens TO "${app_role}";
GRANT SELECT, INSERT ON platform.revoked_tokens TO "${app_role}";
GRANT SELECT, INSERT, UPDATE ON platform.user_sessions_not_before TO "${app_role}";
