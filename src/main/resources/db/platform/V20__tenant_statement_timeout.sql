-- A tenant's own statement timeout in milliseconds, set by a super-admin (PUT /admin/v1/tenants/{slug}/timeouts);
-- NULL: db.statement-timeout-ms. Where it applies and where the default does: docs/security/isolation.md.
ALTER TABLE platform.tenants ADD COLUMN statement_timeout_ms integer
  CHECK (statement_timeout_ms BETWEEN 1 AND 3600000);
