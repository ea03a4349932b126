-- Invitations to join a tenant, and the outbox of e-mails to send. Runs as the owner role; the runtime role gets
-- only the grants below. Control-plane data like memberships, without row-level security: an invitation is found
-- by its token's hash when accepted, before any tenant context can exist.

-- A tenant_admin's invitation: single use (accepted_at), expiring, and only the SHA-256 of its token is kept —
-- whoever can read this table cannot accept an invitation. The invitee proves consent by accepting: with their
-- current password when the e-mail has an account, with a password of their choice when it does not.
CREATE TABLE platform.invitations (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  email       text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  role        text NOT NULL CHECK (role IN ('tenant_admin', 'member', 'read_only')),
  token_hash  bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  invited_by  uuid REFERENCES platform.users (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by uuid REFERENCES platform.users (id) ON DELETE SET NULL,
  CHECK ((accepted_at IS NULL) = (accepted_by IS NULL))
);
CREATE INDEX invitations_tenant_idx ON platform.invitations (tenant_id);

-- E-mails to send. Nothing sends them yet: a mailer reads unsent rows, sends, and sets sent_at. Addressed to people,
-- not tenants: no tenant_id (an invitation's e-mail outlives a deleted tenant, its token then finds nothing).
CREATE TABLE platform.outbox (
  id         uuid PRIMARY KEY,
  kind       text NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
  recipient  text NOT NULL CHECK (length(recipient) BETWEEN 3 AND 254),
  subject    text NOT NULL,
  body       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at    timestamptz
);
CREATE INDEX outbox_unsent_idx ON platform.outbox (created_at) WHERE sent_at IS NULL;

GRANT SELECT, INSERT, UPDATE ON platform.invitations TO "${app_role}";
GRANT SELECT, INSERT, UPDATE ON platform.outbox TO "${app_role}";
