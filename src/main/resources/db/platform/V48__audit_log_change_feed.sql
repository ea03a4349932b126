-- The records change feed (docs/records-changes.md) reads the audit log: every record write already stores its
-- entry in the write's own statement, so the entries of record.create/update/delete are the change log, with no
-- second write on the hot path. What the log lacked is the writing transaction's id: a feed may only hand out the
-- changes of transactions that have ended, in an order a reader can resume from (pg_snapshot_xmin of its
-- snapshot bounds what is final). The column's default fills it in the write's statement; existing entries get
-- this migration's transaction id (they are history: the first page of a feed returns them).
ALTER TABLE shared.audit_log ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();

-- Only record writes: the feed's reads, by tenant and transaction order.
CREATE INDEX audit_log_changes_idx ON shared.audit_log (tenant_id, xid, id) WHERE action LIKE 'record.%';
