-- Billing periods finalized (issue 18): the finalize job claims a period with this row, so one node of the cluster
-- runs it. A claim not finished within its lease (a node that died midway) can be taken over; each invoice's
-- finalization is idempotent, so a takeover finishes what is left and changes nothing already finalized.
CREATE TABLE platform.billing_runs (
  period_start timestamptz PRIMARY KEY,
  node         uuid NOT NULL,
  claimed_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  invoices     integer
);
GRANT SELECT, INSERT, UPDATE ON platform.billing_runs TO "${app_role}";
