package io.tenantry.idp;

import io.tenantry.auth.Caller;
import io.tenantry.auth.ExternalVerifier;
import io.tenantry.config.ExternalIssuer;
import io.tenantry.http.Problem;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What a verified external token means in Tenantry: a user whose id is a name-based UUID of (issuer, sub) — the
 * same person gets the same id on every node and every day, and two issuers' subjects never collide — acting in
 * the one tenant its tenant claim names (by slug or id; one the issuer is trusted for) with the roles its role
 * claim maps to. Never super_admin: the mapping only names tenant roles. A role the mapping does not name is
 * ignored; a token left with no role is authenticated but refused by every route (403).
 */
final class ExternalClaims {
  private final TenantRegistry registry;

  ExternalClaims(TenantRegistry registry) {
    this.registry = registry;
  }

  Future<ExternalVerifier.Verified> toVerified(ExternalIssuer issuer, JsonObject claims) {
    if (!(claims.getValue("sub") instanceof String sub) || sub.isEmpty()) {
      return Future.failedFuture(Problem.unauthorized("the token has no sub"));
    }
    if (!(claims.getValue("exp") instanceof Number exp) || !(exp instanceof Integer || exp instanceof Long)) {
      return Future.failedFuture(Problem.unauthorized("the token has no exp in whole seconds"));
    }
    Object iat = claims.getValue("iat");
    Object named = path(claims, issuer.tenantClaim());
    if (!(named instanceof String tenantName) || tenantName.isEmpty()) {
      return Future.failedFuture(Problem.unauthorized("the token names no tenant in its " + issuer.tenantClaim() + " claim"));
    }
    Set<String> roles;
    try {
      roles = roles(issuer, path(claims, issuer.rolesClaim()));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(Problem.unauthorized("the token's " + issuer.rolesClaim() + " claim is malformed"));
    }
    UUID user = userId(issuer.issuer(), sub);
    Object jti = claims.getValue("jti");
    return lookup(tenantName).compose(found -> {
      Tenant tenant = found.orElse(null);
      if (tenant == null || !(issuer.anyTenant() || issuer.tenants().contains(tenant.slug())
        || issuer.tenants().contains(tenant.id().toString()))) {
        return Future.failedFuture(Problem.unauthorized("the token names a tenant its issuer is not trusted for"));
      }
      return Future.succeededFuture(new ExternalVerifier.Verified(new Caller(user, tenant.id(), roles),
        exp.longValue(), jti instanceof String text ? text : null, iat instanceof Number n ? n.longValue() : 0));
    });
  }

  /** The stable Tenantry user id of an external subject. */
  static UUID userId(String issuer, String sub) {
    return UUID.nameUUIDFromBytes(("external:" + issuer + "\n" + sub).getBytes(StandardCharsets.UTF_8));
  }

  private Future<Optional<Tenant>> lookup(String name) {
    try {
      return registry.byId(UUID.fromString(name));
    } catch (IllegalArgumentException notAnId) {
      return Tenant.SLUG.matcher(name).matches() ? registry.bySlug(name) : Future.succeededFuture(Optional.empty());
    }
  }

  private static Set<String> roles(ExternalIssuer issuer, Object claim) {
    Set<String> names = new HashSet<>();
    if (claim instanceof String text) {
      for (String name : text.trim().split("\\s+")) {
        names.add(name);
      }
    } else if (claim instanceof JsonArray array) {
      for (Object name : array) {
        if (!(name instanceof String text)) {
          throw new IllegalArgumentException("a role is not a string");
        }
        names.add(text);
      }
    } else if (claim != null) {
      throw new IllegalArgumentException("roles are neither a list nor a string");
    }
    Set<String> roles = new HashSet<>();
    for (String name : names) {
      String role = issuer.roleMapping().get(name);
      if (role != null && Caller.TENANT_ROLES.contains(role)) {
        roles.add(role);
      }
    }
    return Set.copyOf(roles);
  }

  /** A claim by a dotted path ("realm_access.roles"), as providers nest them. */
  private static Object path(JsonObject claims, String path) {
    Object value = claims;
    for (String part : path.split("\\.")) {
      if (!(value instanceof JsonObject object)) {
        return null;
      }
      value = object.getValue(part);
    }
    return value;
  }
}
