package io.tenantry.billing;

/** The SQL of the billing tables (V50-V52), in one place. */
final class BillingSql {
  private BillingSql() {
  }

  static final String PLAN_EXISTS = "SELECT 1 FROM platform.plans WHERE name = $1";
  static final String PRICING = "SELECT plan, currency, base_fee, meters FROM platform.plan_prices WHERE plan = $1";
  static final String ALL_PRICING = "SELECT plan, currency, base_fee, meters FROM platform.plan_prices";
  static final String PUT_PRICING = """
    INSERT INTO platform.plan_prices (plan, currency, base_fee, meters) VALUES ($1, $2, $3, $4)
    ON CONFLICT (plan) DO UPDATE SET currency = EXCLUDED.currency, base_fee = EXCLUDED.base_fee,
      meters = EXCLUDED.meters, updated_at = now()""";

  static final String SUBSCRIPTIONS = """
    SELECT tenant_id, effective_from, plan FROM platform.subscriptions WHERE tenant_id = ANY($1)
    ORDER BY tenant_id, effective_from""";
  /** Appended after the latest change only, and never into a period already invoiced for good. */
  static final String ADD_SUBSCRIPTION = """
    INSERT INTO platform.subscriptions (tenant_id, effective_from, plan)
    SELECT $1, $2, $3
     WHERE NOT EXISTS (SELECT 1 FROM platform.subscriptions WHERE tenant_id = $1 AND effective_from >= $2)
       AND NOT EXISTS (SELECT 1 FROM platform.invoice_lines l JOIN platform.invoices i ON i.id = l.invoice_id
                        WHERE l.tenant_id = $1 AND i.status = 'finalized' AND i.kind = 'invoice' AND i.period_end > $2)
    RETURNING effective_from""";

  static final String PUT_PAYS = """
    INSERT INTO platform.billing_accounts (tenant_id, pays) VALUES ($1, $2)
    ON CONFLICT (tenant_id) DO UPDATE SET pays = EXCLUDED.pays, updated_at = now()""";

  /** Does the tenant pay for itself (a root always does)? */
  static final String PAYS_SELF = """
    SELECT t.parent_id IS NULL OR coalesce(b.pays, 'self') = 'self' AS pays_self
      FROM platform.tenants t LEFT JOIN platform.billing_accounts b ON b.tenant_id = t.id WHERE t.id = $1""";

  /** The payer and every tenant it pays for: children with pays = 'parent', recursively. */
  static final String PAID_BY = """
    WITH RECURSIVE paid AS (
      SELECT id, slug, plan, created_at FROM platform.tenants WHERE id = $1
      UNION ALL
      SELECT t.id, t.slug, t.plan, t.created_at FROM platform.tenants t
        JOIN paid ON t.parent_id = paid.id
        JOIN platform.billing_accounts b ON b.tenant_id = t.id AND b.pays = 'parent'
    )
    SELECT id, slug, plan, created_at FROM paid WHERE created_at < $2""";

  /** Tenants that receive invoices for a period: those that existed in it and pay for themselves. */
  static final String PAYERS = """
    SELECT t.id, t.slug FROM platform.tenants t LEFT JOIN platform.billing_accounts b ON b.tenant_id = t.id
     WHERE t.created_at < $1 AND (t.parent_id IS NULL OR coalesce(b.pays, 'self') = 'self') ORDER BY t.slug""";

  /** Tenants by id with the plan they are on now and whether they pay for themselves. */
  static final String PLANS_UP = """
    SELECT t.id, t.slug, t.parent_id IS NULL OR coalesce(b.pays, 'self') = 'self' AS pays_self,
           coalesce((SELECT s.plan FROM platform.subscriptions s WHERE s.tenant_id = t.id AND s.effective_from <= now()
                      ORDER BY s.effective_from DESC LIMIT 1), t.plan) AS plan
      FROM platform.tenants t LEFT JOIN platform.billing_accounts b ON b.tenant_id = t.id WHERE t.id = ANY($1)""";

  static final String ACTIVE_USERS = """
    SELECT count(DISTINCT user_id) FROM platform.usage_active_users WHERE tenant_id = $1 AND hour >= $2 AND hour < $3""";

  static final String LOCK_INVOICE = "SELECT pg_advisory_xact_lock(hashtextextended('tenantry.invoice:' || $1::uuid::text || ':' || $2::timestamptz::text, 0))";
  static final String FIND_INVOICE = """
    SELECT id, status FROM platform.invoices WHERE tenant_id = $1 AND period_start = $2 AND kind = 'invoice'""";
  static final String INSERT_INVOICE = """
    INSERT INTO platform.invoices (id, tenant_id, kind, status, period_start, period_end, currency, total, finalized_at)
    VALUES ($1, $2, 'invoice', $3, $4, $5, $6, $7, CASE WHEN $3 = 'finalized' THEN now() END)""";
  static final String UPDATE_INVOICE = """
    UPDATE platform.invoices SET status = $2, currency = $3, total = $4,
      finalized_at = CASE WHEN $2 = 'finalized' THEN now() END WHERE id = $1""";
  static final String DELETE_LINES = "DELETE FROM platform.invoice_lines WHERE invoice_id = $1";
  static final String INSERT_LINES = """
    INSERT INTO platform.invoice_lines (invoice_id, position, tenant_id, tenant_slug, meter, description, quantity,
      unit_price, amount)
    SELECT $1, u.position, u.tenant_id, u.slug, u.meter, u.description, u.quantity, u.unit_price, u.amount
      FROM unnest($2::int[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[])
        AS u(position, tenant_id, slug, meter, description, quantity, unit_price, amount)""";

  static final String INVOICE_COLUMNS = """
    id, tenant_id, kind, status, period_start, period_end, currency, total, corrects, reason, finalized_at""";
  static final String LIST_INVOICES = "SELECT " + INVOICE_COLUMNS
    + " FROM platform.invoices WHERE tenant_id = $1 ORDER BY period_start DESC, created_at";
  static final String GET_INVOICE = "SELECT " + INVOICE_COLUMNS + " FROM platform.invoices WHERE id = $1 AND tenant_id = $2";
  static final String LINES = """
    SELECT position, tenant_id, tenant_slug, meter, description, quantity, unit_price, amount
      FROM platform.invoice_lines WHERE invoice_id = $1 ORDER BY position""";

  static final String CREDITED = """
    SELECT coalesce(-sum(total), 0) FROM platform.invoices WHERE corrects = $1 AND kind = 'credit_note'""";
  static final String INSERT_CREDIT_NOTE = """
    INSERT INTO platform.invoices (id, tenant_id, kind, status, period_start, period_end, currency, total, corrects,
      reason, finalized_at)
    SELECT $1, tenant_id, 'credit_note', 'finalized', period_start, period_end, currency, $2, id, $3, now()
      FROM platform.invoices WHERE id = $4""";

  static final String RUN_DONE = "SELECT 1 FROM platform.billing_runs WHERE period_start = $1 AND finished_at IS NOT NULL";
  /** Claims the period for this node: a new claim, or one whose node did not finish within the lease ($3 seconds). */
  static final String CLAIM_RUN = """
    INSERT INTO platform.billing_runs (period_start, node) VALUES ($1, $2)
    ON CONFLICT (period_start) DO UPDATE SET node = EXCLUDED.node, claimed_at = now()
     WHERE platform.billing_runs.finished_at IS NULL
       AND platform.billing_runs.claimed_at < now() - $3::int * interval '1 second'
    RETURNING node""";
  static final String FINISH_RUN = """
    UPDATE platform.billing_runs SET finished_at = now(), invoices = $3 WHERE period_start = $1 AND node = $2""";
}
