package io.tenantry.metering;

/** The SQL of the usage tables (V49), in one place. */
final class UsageSql {
  private UsageSql() {
  }

  /** A batch's counts: the primary key (tenant, meter, window, node, seq) makes a retried flush a no-op. */
  static final String INSERT_COUNTS = """
    INSERT INTO platform.usage_flushes (tenant_id, meter, window_start, node, seq, quantity)
    SELECT u.tenant_id, u.meter, $4, $5, $6, u.quantity
      FROM unnest($1::uuid[], $2::text[], $3::bigint[]) AS u(tenant_id, meter, quantity)
    ON CONFLICT DO NOTHING""";

  static final String INSERT_USERS = """
    INSERT INTO platform.usage_active_users (tenant_id, hour, user_id)
    SELECT u.tenant_id, $3, u.user_id FROM unnest($1::uuid[], $2::uuid[]) AS u(tenant_id, user_id)
    ON CONFLICT DO NOTHING""";

  /** A gauge's sample: the latest of the hour is the hour's value. */
  static final String UPSERT_GAUGE = """
    INSERT INTO platform.usage_hourly (tenant_id, meter, hour, quantity) VALUES ($1, $2, $3, $4)
    ON CONFLICT (tenant_id, hour, meter) DO UPDATE SET quantity = EXCLUDED.quantity""";

  /** A tenant's gauge samples of one hour ($1 tenant, $2 hour, $3 meters, $4 values): the latest sample wins. */
  static final String UPSERT_GAUGES = """
    INSERT INTO platform.usage_hourly (tenant_id, meter, hour, quantity)
    SELECT $1, g.meter, $2, g.quantity FROM unnest($3::text[], $4::bigint[]) AS g(meter, quantity)
    ON CONFLICT (tenant_id, hour, meter) DO UPDATE SET quantity = EXCLUDED.quantity""";

  /**
   * Flushes older than the retry horizon summed into hourly rows, in one statement: a node retries a flush for
   * minutes at most, far inside the horizon, so a compacted flush is never written again.
   */
  static final String COMPACT = """
    WITH moved AS (
      DELETE FROM platform.usage_flushes WHERE window_start < $1 RETURNING tenant_id, meter, window_start, quantity
    )
    INSERT INTO platform.usage_hourly (tenant_id, meter, hour, quantity)
    SELECT tenant_id, meter, window_start, sum(quantity) FROM moved GROUP BY tenant_id, meter, window_start
    ON CONFLICT (tenant_id, hour, meter) DO UPDATE SET quantity = platform.usage_hourly.quantity + EXCLUDED.quantity""";

  static final String PRUNE_HOURLY = "DELETE FROM platform.usage_hourly WHERE hour < $1";
  static final String PRUNE_USERS = "DELETE FROM platform.usage_active_users WHERE hour < $1";

  /**
   * Usage per tenant, meter and bucket (hour or day) in [from, to): counters summed, gauges at their highest,
   * active users counted distinct over the bucket. $1 tenants, $2 from, $3 to, $4 'hour' or 'day'.
   */
  static final String USAGE = """
    WITH counted AS (
      SELECT tenant_id, meter, window_start AS hour, quantity FROM platform.usage_flushes
       WHERE tenant_id = ANY($1) AND window_start >= $2 AND window_start < $3
      UNION ALL
      SELECT tenant_id, meter, hour, quantity FROM platform.usage_hourly
       WHERE tenant_id = ANY($1) AND hour >= $2 AND hour < $3
    )
    SELECT tenant_id, meter, date_trunc($4, hour, 'UTC') AS bucket,
           CASE WHEN meter = ANY($5) THEN max(quantity) ELSE sum(quantity) END::bigint AS quantity
      FROM counted GROUP BY tenant_id, meter, bucket
    UNION ALL
    SELECT tenant_id, 'active_users', date_trunc($4, hour, 'UTC') AS bucket, count(DISTINCT user_id)
      FROM platform.usage_active_users
     WHERE tenant_id = ANY($1) AND hour >= $2 AND hour < $3
     GROUP BY tenant_id, bucket
    ORDER BY 3, 1, 2""";
}
