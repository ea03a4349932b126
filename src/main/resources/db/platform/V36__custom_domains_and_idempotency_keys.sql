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
