-- The entries that are not record writes, by transaction id (platform V59 explains why): online moves read the
-- changes since their previous pass from here and from the change feed's index (V4).
CREATE INDEX audit_log_xid_idx ON ${schema}.audit_log (tenant_id, xid) WHERE action NOT LIKE 'record.%';
