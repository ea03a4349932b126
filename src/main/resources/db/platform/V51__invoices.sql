-- Invoices and credit notes (issue 18, docs/billing.md#invoices). A draft is recomputed until its period is
-- finalized; a finalized invoice, its lines and credit notes never change: the triggers below refuse it for every
-- role, the owner's included. No foreign key to platform.tenants: invoices outlive a purged tenant.
CREATE TABLE platform.invoices (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
  status       text NOT NULL CHECK (status IN ('draft', 'finalized')),
  period_start timestamptz NOT NULL,
  period_end   timestamptz NOT NULL CHECK (period_end > period_start),
  currency     text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  total        bigint NOT NULL,
  corrects     uuid REFERENCES platform.invoices (id),
  reason       text CHECK (length(reason) <= 1000),
  created_at   timestamptz NOT NULL DEFAULT now(),
  finalized_at timestamptz,
  CHECK ((kind = 'credit_note') = (corrects IS NOT NULL)),
  CHECK ((status = 'finalized') = (finalized_at IS NOT NULL))
);
CREATE UNIQUE INDEX invoices_one_per_period ON platform.invoices (tenant_id, period_start) WHERE kind = 'invoice';
CREATE INDEX invoices_tenant_idx ON platform.invoices (tenant_id, period_start DESC);

-- tenant_id is the tenant the line is for: the payer itself, or one of the tenants it pays for (the breakdown).
CREATE TABLE platform.invoice_lines (
  invoice_id  uuid NOT NULL REFERENCES platform.invoices (id),
  position    integer NOT NULL CHECK (position > 0),
  tenant_id   uuid NOT NULL,
  tenant_slug text NOT NULL,
  meter       text NOT NULL,
  description text NOT NULL,
  quantity    bigint NOT NULL,
  unit_price  bigint NOT NULL,
  amount      bigint NOT NULL,
  PRIMARY KEY (invoice_id, position)
);

CREATE FUNCTION platform.refuse_finalized_invoice_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'finalized' THEN
    RAISE EXCEPTION 'invoice % is finalized and cannot change', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE FUNCTION platform.refuse_finalized_line_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  invoice uuid := CASE WHEN TG_OP = 'INSERT' THEN NEW.invoice_id ELSE OLD.invoice_id END;
BEGIN
  IF EXISTS (SELECT 1 FROM platform.invoices WHERE id = invoice AND status = 'finalized') THEN
    RAISE EXCEPTION 'invoice % is finalized: its lines cannot change', invoice USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON platform.invoices
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_finalized_invoice_change();
CREATE TRIGGER invoice_lines_immutable BEFORE INSERT OR UPDATE OR DELETE ON platform.invoice_lines
  FOR EACH ROW EXECUTE FUNCTION platform.refuse_finalized_line_change();

GRANT SELECT, INSERT, UPDATE, DELETE ON platform.invoices TO "${app_role}";
GRANT SELECT, INSERT, DELETE ON platform.invoice_lines TO "${app_role}";
