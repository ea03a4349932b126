package io.tenantry.relocation;

import io.tenantry.export.TierConnections;
import io.tenantry.tenant.DbTarget;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantNames;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/** Where a tenant's data lives: its tier and, for the database tier, the server and database. */
record Placement(Isolation tier, DbTarget database) {
  static Placement of(Tenant tenant) {
    return new Placement(tenant.isolation(), tenant.isolation() == Isolation.DATABASE ? tenant.database() : null);
  }

  /** The schema holding the tenant's tables in this placement. */
  String schema(UUID tenantId) {
    return switch (tier) {
      case SHARED -> "shared";
      case SCHEMA -> TenantNames.schema(tenantId);
      case DATABASE -> TenantNames.DATABASE_TIER_SCHEMA;
    };
  }

  Connection connect(TierConnections connections, UUID tenantId) throws SQLException {
    return tier == Isolation.DATABASE ? connections.tenantDatabase(database, tenantId) : connections.platform(tenantId);
  }

  String describe() {
    return database == null ? tier.sql() : tier.sql() + " " + database.host() + ":" + database.port() + "/" + database.database();
  }
}
