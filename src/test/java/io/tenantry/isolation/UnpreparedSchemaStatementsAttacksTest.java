package io.tenantry.isolation;

import java.util.Map;

/**
 * The pooled-connection attacks with a statement cache of 16 per connection: room for 2 resident schema tenants
 * (io.tenantry.pool.StatementCachePolicy), so 38 of the 40 schema-tier tenants run their statements unprepared and
 * the statements every tenant shares churn through a tiny cache. Whether a statement is kept prepared must change
 * nothing in what each tenant sees.
 */
class UnpreparedSchemaStatementsAttacksTest extends PooledConnectionAttacksTest {
  @Override
  protected Map<String, String> connection() {
    return Map.of("db.statement-cache-size", "16");
  }
}
