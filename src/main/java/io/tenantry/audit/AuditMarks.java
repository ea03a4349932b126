package io.tenantry.audit;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/**
 * What an authentication handler knows that its answer does not say (a sign-in refused because the account is
 * throttled and one refused for a wrong password answer the same 401): left on the request for the after-response
 * audit entry ({@link AuditHooks}), which names this action, user and tenant.
 */
public final class AuditMarks {
  static final String KEY = "audit.mark";

  record Mark(String action, UUID user, UUID tenant, JsonObject detail) {
  }

  private AuditMarks() {
  }

  /** @param tenant the tenant the event concerns (its log gets the entry), or null for the platform log */
  public static void auth(RoutingContext ctx, String action, UUID user, UUID tenant, JsonObject detail) {
    ctx.put(KEY, new Mark(action, user, tenant, detail));
  }

  static Mark of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
