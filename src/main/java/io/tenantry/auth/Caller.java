package io.tenantry.auth;

import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, from a verified token or API key. {@code tenantId} is null when the token names no tenant.
 * {@code scopes} is null for a user's token (its roles decide) and the key's scopes for an API key or a token
 * exchanged for one; {@code keyId} is then the key's id (null otherwise). {@code impersonator} is the super-admin
 * acting as this user (a token's {@code act} claim), null when the user acts for itself.
 */
public record Caller(UUID userId, UUID tenantId, Set<String> roles, Set<String> scopes, UUID keyId, UUID impersonator) {
  public static final String SUPER_ADMIN = "super_admin";
  public static final String TENANT_ADMIN = "tenant_admin";
  public static final String MEMBER = "member";
  public static final String READ_ONLY = "read_only";
  public static final Set<String> TENANT_ROLES = Set.of(TENANT_ADMIN, MEMBER, READ_ONLY);

  private static final String KEY = "caller";

  public Caller(UUID userId, UUID tenantId, Set<String> roles) {
    this(userId, tenantId, roles, null, null, null);
  }

  public Caller(UUID userId, UUID tenantId, Set<String> roles, Set<String> scopes, UUID keyId) {
    this(userId, tenantId, roles, scopes, keyId, null);
  }

  /** Whether the caller's scopes allow {@code scope}; a caller without scopes is limited by its roles alone. */
  public boolean allows(String scope) {
    return scopes == null || scopes.contains(scope);
  }

  /** Whom the rate limiter charges besides the tenant: the key for an API-key caller, else the user. */
  public UUID principal() {
    return keyId != null ? keyId : userId;
  }

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
