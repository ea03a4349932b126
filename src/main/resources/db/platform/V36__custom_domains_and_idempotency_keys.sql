-- Host names mapped to tenants (docs/tenants.md#custom-domains). A host belongs to one tenant at most: the primary
-- key is what makes a second claim a conflict. Every node keeps the whole map in memory; the table is only read
-- at start and after a change notice.
CREATE TABLE platform.custom_domains (
  host       text PRIMARY KEY CHECK (length(host) <= 253 AND host = lower(host)),
  tenant_id  uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX custom_domains_tenant ON platform.custom_domains (tenant_id);

GRANT SELECT, INSERT, DELETE ON platform.custom_domains TO "${app_role}";

-- Idempotency-Key of tenant creation (docs/tenants.md#idempotent-creation): per caller (user or API key id), the
-- hash of the first request's body and, once it completed, its status, Location and body. A row without a status
-- is a creation in progress. Rows older than tenancy.idempotency-ttl-seconds are replaced by the next use of the
-- key and deleted at start.
CREATE TABLE platform.idempotency_keys (
  caller       uuid NOT NULL,
  key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash text NOT NULL,
  status       int,
  location     text,
  body         text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (caller, key)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON platform.idempotency_keys TO "${app_role}";
