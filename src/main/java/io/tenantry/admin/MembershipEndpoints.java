package io.tenantry.admin;

import io.tenantry.auth.Caller;
import io.tenantry.http.Paging;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Tenant;
import io.tenantry.users.MembershipStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's members under /admin/v1/tenants/{slug}/users: list, change a role, remove a membership (the account
 * stays). For the tenant's tenant_admin while it is active, its ancestors' tenant_admins, and super-admins. Every
 * statement is keyed by the tenant the caller may administer, so another tenant's member is simply not found. A
 * tenant keeps at least one tenant_admin (409).
 */
public final class MembershipEndpoints {
  private final TenantAdminEndpoints tenants;
  private final Pool pool;
  private final MembershipStore store;

  public MembershipEndpoints(TenantAdminEndpoints tenants, Pool pool, MembershipStore store) {
    this.tenants = tenants;
    this.pool = pool;
    this.store = store;
  }

  /**
   * The tenant, if the caller may manage its members: a super-admin, its tenant_admin, or a tenant_admin of an
   * ancestor (delegated administration; {@link TenantAdminEndpoints#administered} checks the tenant is below the
   * caller's). A tenant_admin's token says it was one when issued; here the database must still say so for the
   * tenant the token is for, so an admin demoted or removed meanwhile cannot use an older token to manage members
   * (one indexed read, on the control plane only).
   */
  Future<Tenant> administered(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    return tenants.administered(ctx, true).compose(tenant -> caller.superAdmin()
      ? Future.succeededFuture(tenant)
      : store.role(pool, caller.userId(), caller.tenantId()).compose(role -> Caller.TENANT_ADMIN.equals(role)
        ? Future.succeededFuture(tenant)
        : Future.failedFuture(Problem.forbidden("you cannot administer this tenant"))));
  }

  public void list(RoutingContext ctx) {
    int limit = Paging.limit(ctx);
    String role = ctx.request().getParam("role");
    if (role != null && !Caller.TENANT_ROLES.contains(role)) {
      ctx.fail(Problem.badRequest("role must be one of tenant_admin, member, read_only"));
      return;
    }
    String emailPrefix = ctx.request().getParam("email_prefix");
    administered(ctx)
      .compose(tenant -> {
        String scope = "members:" + tenant.id();
        UUID after = Paging.after(ctx, scope);
        return store.list(pool, tenant.id(), after, role, emailPrefix, limit + 1)
          .map(members -> Paging.page(members, limit, scope, MembershipStore.Member::userId,
            MembershipStore.Member::toJson));
      })
      .onSuccess(page -> Responses.json(ctx, 200, page))
      .onFailure(ctx::fail);
  }

  public void patch(RoutingContext ctx) {
    String role = ctx.body().asJsonObject().getString("role");
    if (!Caller.TENANT_ROLES.contains(role)) {
      ctx.fail(Problem.badRequest("role must be one of tenant_admin, member, read_only"));
      return;
    }
    UUID userId = userId(ctx);
    administered(ctx)
      .compose(tenant -> found(pool.withTransaction(tx -> store.setRole(tx, tenant.id(), userId, role))))
      .onSuccess(member -> Responses.json(ctx, 200, member.toJson()))
      .onFailure(ctx::fail);
  }

  public void delete(RoutingContext ctx) {
    UUID userId = userId(ctx);
    administered(ctx)
      .compose(tenant -> found(pool.withTransaction(tx -> store.remove(tx, tenant.id(), userId))))
      .onSuccess(member -> Responses.noContent(ctx))
      .onFailure(ctx::fail);
  }

  private static Future<MembershipStore.Member> found(Future<Optional<MembershipStore.Member>> change) {
    return change.compose(member -> member.map(Future::succeededFuture)
      .orElseGet(() -> Future.failedFuture(Problem.notFound("this tenant has no member with this user id"))));
  }

  /** A malformed id names no member; a random one stands in, so the caller's rights are checked first as usual. */
  static UUID userId(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      return new UUID(0, 0);
    }
  }
}
