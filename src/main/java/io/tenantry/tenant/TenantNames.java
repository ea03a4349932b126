package io.tenantry.tenant;

import java.util.UUID;

/**
 * PostgreSQL names derived from a tenant's id — never from user input — so they are unique, fit the 63-byte
 * identifier limit, and need no escaping beyond quoting.
 */
public final class TenantNames {
  /** The schema holding a database-tier tenant's tables inside its own database. */
  public static final String DATABASE_TIER_SCHEMA = "tenant";

  private TenantNames() {
  }

  /** {@code t_<32 hex digits>}: 34 bytes. */
  public static String schema(UUID tenantId) {
    return "t_" + hex(tenantId);
  }

  /** {@code <platform database>_t_<32 hex digits>}: at most 28 + 35 = 63 bytes (db.name is at most 28). */
  public static String database(String platformDatabase, UUID tenantId) {
    return platformDatabase + "_t_" + hex(tenantId);
  }

  private static String hex(UUID id) {
    return id.toString().replace("-", "");
  }
}
