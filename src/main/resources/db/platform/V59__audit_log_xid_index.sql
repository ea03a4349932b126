-- Online moves (docs/operations/tenant-moves.md) copy again only what was written since their previous pass: the
-- audit entries at or above a transaction id name it. Record writes' entries are found by the change feed's partial
-- index (V48); this one finds the others (file writes, sign-ins, admin actions), so that each entry still goes into
-- exactly one xid index and the move's last pass, inside its write pause, never scans a tenant's whole log.
CREATE INDEX audit_log_xid_idx ON shared.audit_log (tenant_id, xid) WHERE action NOT LIKE 'record.%';
