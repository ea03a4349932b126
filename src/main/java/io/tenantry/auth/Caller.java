package io.tenantry.auth;

import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.UUID;

/** Who is calling, from a verified token. {@code tenantId} is null when the token names no tenant. */
public record Caller(UUID userId, UUID tenantId, Set<String> roles) {
  public static final String SUPER_ADMIN = "super_admin";
  public static final String TENANT_ADMIN = "tenant_admin";
  public static final String MEMBER = "member";
  public static final String READ_ONLY = "read_only";
  public static final Set<String> TENANT_ROLES = Set.of(TENANT_ADMIN, MEMBER, READ_ONLY);

  private static final String KEY = "caller";

  public boolean superAdmin() {
    return roles.contains(SUPER_ADMIN);
  }

  /** Whether the caller holds any of {@code allowed}; a loop, not a stream: every data-plane request asks. */
  public boolean holdsAny(Set<String> allowed) {
    for (String role : roles) {
      if (allowed.contains(role)) {
        return true;
      }
    }
    return false;
  }

  public void attachTo(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  /** The caller of a request, or null when it carried no token. */
  public static Caller of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
