package io.tenantry.admin;

import io.tenantry.auth.Caller;
import io.tenantry.auth.Tokens;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.settings.EffectiveConfigCache;
import io.tenantry.settings.Resolved;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;
import java.util.UUID;

/**
 * POST /admin/v1/tenants/{slug}/users/{id}/impersonate (super-admin only, behind Access::superAdmin): a short-lived
 * token acting as the member in that tenant with the member's role there now, whose {@code act} claim names the
 * super-admin. That token is the member's, not a super-admin's: it cannot impersonate again nor reach super-admin
 * routes. A tenant whose {@code security.allow_impersonation} is false refuses (403). It is revoked like any token,
 * by its jti (POST /auth/logout).
 */
public final class ImpersonationEndpoint {
  static final String SETTING = "security.allow_impersonation";

  private final TenantRegistry registry;
  private final UserStore users;
  private final Tokens tokens;
  private final EffectiveConfigCache settings;
  private final int ttlSeconds;

  public ImpersonationEndpoint(TenantRegistry registry, UserStore users, Tokens tokens, EffectiveConfigCache settings,
                               int ttlSeconds) {
    this.registry = registry;
    this.users = users;
    this.tokens = tokens;
    this.settings = settings;
    this.ttlSeconds = Math.min(ttlSeconds, tokens.ttlSeconds());
  }

  public void handle(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    if (caller.impersonator() != null || !caller.superAdmin() || caller.keyId() != null) {
      ctx.fail(Problem.forbidden("only a super-admin's own token can impersonate"));
      return;
    }
    String slug = ctx.pathParam("slug");
    UUID user;
    try {
      user = UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      ctx.fail(Problem.notFound("this tenant has no member with this user id"));
      return;
    }
    Future<Optional<Tenant>> found = Tenant.SLUG.matcher(slug).matches()
      ? registry.bySlug(slug) : Future.succeededFuture(Optional.empty());
    found.compose(tenant -> tenant.isEmpty() ? Future.failedFuture(Problem.notFound("unknown tenant"))
        : allowed(tenant.get()).compose(ok -> users.role(user, tenant.get().id()))
          .compose(role -> role.isEmpty()
            ? Future.failedFuture(Problem.notFound("this tenant has no member with this user id"))
            : Future.succeededFuture(answer(caller, tenant.get(), user, role.get()))))
      .onSuccess(answer -> {
        ctx.response().putHeader("Cache-Control", "no-store");
        Responses.json(ctx, 200, answer);
      })
      .onFailure(ctx::fail);
  }

  private Future<Void> allowed(Tenant tenant) {
    return settings.of(tenant).compose(config -> {
      Resolved allow = config.get(SETTING);
      return allow != null && Boolean.FALSE.equals(allow.value())
        ? Future.failedFuture(Problem.of(403, "impersonation-forbidden", "Impersonation forbidden",
          "the tenant forbids impersonation (its setting " + SETTING + " is false)"))
        : Future.succeededFuture();
    });
  }

  private JsonObject answer(Caller caller, Tenant tenant, UUID user, String role) {
    String token = tokens.issueImpersonation(user, tenant.id(), role, caller.userId(), ttlSeconds, UUID.randomUUID());
    return new JsonObject()
      .put("access_token", token)
      .put("token_type", "Bearer")
      .put("expires_in", ttlSeconds)
      .put("tenant_id", tenant.id().toString())
      .put("user_id", user.toString())
      .put("role", role)
      .put("impersonator", caller.userId().toString());
  }
}
