-- Prices of plans and tenants' subscription history (issue 18, docs/billing.md#pricing). Amounts are integer minor
-- units of the plan's currency. meters: {"<meter>": {"included": n, "tiers": [{"up_to": n|null, "unit_price": m}]}}
-- validated by the server (graduated tiers, ascending, the last open-ended).
CREATE TABLE platform.plan_prices (
  plan       text PRIMARY KEY REFERENCES platform.plans (name) ON DELETE CASCADE,
  currency   text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  base_fee   bigint NOT NULL CHECK (base_fee >= 0),
  meters     jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(meters) = 'object'),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A subscription change: from effective_from the tenant is billed on plan, until its next change. Changes are
-- appended in time order (an earlier one than the latest is refused), so periods never overlap.
CREATE TABLE platform.subscriptions (
  tenant_id      uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  effective_from timestamptz NOT NULL,
  plan           text NOT NULL REFERENCES platform.plans (name),
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, effective_from)
);

-- Who pays for a tenant: itself, or (pays = 'parent') whoever pays for its parent, on one invoice with a line per
-- tenant. Tenants without a row pay for themselves.
CREATE TABLE platform.billing_accounts (
  tenant_id  uuid PRIMARY KEY REFERENCES platform.tenants (id) ON DELETE CASCADE,
  pays       text NOT NULL CHECK (pays IN ('self', 'parent')),
  updated_at timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE, DELETE ON platform.plan_prices TO "${app_role}";
GRANT SELECT, INSERT ON platform.subscriptions TO "${app_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON platform.billing_accounts TO "${app_role}";
