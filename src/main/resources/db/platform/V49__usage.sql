-- Usage metering (issue 18, docs/billing.md#meters). Control-plane data: written by every node for many tenants in one
-- statement and read by admins, so like the rate-limit tables it carries tenant_id without row-level security. No
-- foreign key to platform.tenants: a flush must never fail as a whole because one of its tenants was purged.

-- One row per node's flush of one counter: the key makes a retried flush (same node, same sequence) a no-op.
CREATE TABLE platform.usage_flushes (
  tenant_id    uuid NOT NULL,
  meter        text NOT NULL CHECK (meter ~ '^[a-z_]{1,40}$'),
  window_start timestamptz NOT NULL CHECK (date_trunc('hour', window_start) = window_start),
  node         uuid NOT NULL,
  seq          bigint NOT NULL CHECK (seq > 0),
  quantity     bigint NOT NULL CHECK (quantity >= 0),
  PRIMARY KEY (tenant_id, meter, window_start, node, seq)
);
CREATE INDEX usage_flushes_window_idx ON platform.usage_flushes (window_start);

-- Hourly totals: flushes compacted after the retry horizon, and sampled gauges (records stored, storage), whose
-- latest sample of the hour is the hour's value.
CREATE TABLE platform.usage_hourly (
  tenant_id uuid NOT NULL,
  meter     text NOT NULL CHECK (meter ~ '^[a-z_]{1,40}$'),
  hour      timestamptz NOT NULL CHECK (date_trunc('hour', hour) = hour),
  quantity  bigint NOT NULL CHECK (quantity >= 0),
  PRIMARY KEY (tenant_id, hour, meter)
);
CREATE INDEX usage_hourly_hour_idx ON platform.usage_hourly (hour);

-- Distinct users per tenant and hour: stored as ids (idempotent across nodes and retries), counted when read.
CREATE TABLE platform.usage_active_users (
  tenant_id uuid NOT NULL,
  hour      timestamptz NOT NULL CHECK (date_trunc('hour', hour) = hour),
  user_id   uuid NOT NULL,
  PRIMARY KEY (tenant_id, hour, user_id)
);

GRANT SELECT, INSERT, DELETE ON platform.usage_flushes TO "${app_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON platform.usage_hourly TO "${app_role}";
GRANT SELECT, INSERT, DELETE ON platform.usage_active_users TO "${app_role}";
