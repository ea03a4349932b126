-- Billing periods finalized (issue 18): the finalize job's unique row per period makes it run once in the cluster
-- (the node whose INSERT wins does the work, in the same transaction as the invoices it finalizes).
CREATE TABLE platform.billing_runs (
  period_start timestamptz PRIMARY KEY,
  node         uuid NOT NULL,
  finalized_at timestamptz NOT NULL DEFAULT now(),
  invoices     integer NOT NULL
);
GRANT SELECT, INSERT ON platform.billing_runs TO "${app_role}";
