package io.tenantry.tenant;

import java.util.Locale;

/** Where a tenant's business data lives. Isolation is enforced by PostgreSQL in every tier. */
public enum Isolation {
  /** Shared tables with tenant_id and forced row-level security. */
  SHARED,
  /** A schema of its own in the platform database (RLS kept on as defence in depth). */
  SCHEMA,
  /** A database of its own, with its own pool (RLS kept on as defence in depth). */
  DATABASE;

  public String sql() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return the tier named by {@code text}, or null when it names none */
  public static Isolation parse(String text) {
    for (Isolation tier : values()) {
      if (tier.sql().equals(text)) {
        return tier;
      }
    }
    return null;
  }
}
