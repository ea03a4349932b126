package io.tenantry.admin;

import io.tenantry.auth.Caller;
import io.tenantry.tenant.Tenant;
import io.vertx.core.json.JsonObject;

/**
 * A tenant as the caller may see it: where a database-tier tenant's database lives, and migration errors (which can
 * name servers), are for super-admins only; a tenant_admin sees a parent only when it administers that parent too
 * (its own tenant's parent is above it, and nothing above it is revealed).
 */
public final class TenantView {
  private TenantView() {
  }

  public static JsonObject of(Caller caller, Tenant tenant) {
    JsonObject json = tenant.toJson();
    if (!caller.superAdmin()) {
      json.remove("database");
      json.remove("migration_error");
      if (!tenant.below(caller.tenantId())) {
        json.remove("parent");
      }
    }
    return json;
  }
}
