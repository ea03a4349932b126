-- The records change feed reads the audit log (platform V48 explains why): the writing transaction's id per entry,
-- and an index over the record writes' entries in transaction order.
ALTER TABLE ${schema}.audit_log ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();

CREATE INDEX audit_log_changes_idx ON ${schema}.audit_log (tenant_id, xid, id) WHERE action LIKE 'record.%';
