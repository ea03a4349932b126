package io.tenantry.auth;

import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.users.MembershipStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/**
 * GET /auth/me: the caller's account and memberships as the database has them now, not as the token remembers
 * them (a role changed since the token was issued shows here at once). Any token will do, tenant-bound or not.
 */
public final class MeEndpoint {
  private final Pool pool;
  private final MembershipStore memberships;

  public MeEndpoint(Pool pool, MembershipStore memberships) {
    this.pool = pool;
    this.memberships = memberships;
  }

  public void handle(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    if (caller == null) {
      ctx.fail(Problem.unauthorized("authentication is required"));
      return;
    }
    var account = memberships.account(pool, caller.userId());
    var tenants = memberships.ofUser(pool, caller.userId());
    Future.all(account, tenants)
      .compose(done -> account.result().isEmpty()
        ? Future.failedFuture(Problem.unauthorized("the token's account no longer exists"))
        : Future.succeededFuture(account.result().get()))
      .onSuccess(found -> {
        JsonArray list = new JsonArray();
        tenants.result().forEach(m -> list.add(m.toJson()));
        ctx.response().putHeader("Cache-Control", "no-store");
        Responses.json(ctx, 200, new JsonObject()
          .put("user_id", caller.userId().toString())
          .put("email", found.email())
          .put("super_admin", found.superAdmin())
          .put("token_tenant_id", caller.tenantId() == null ? null : caller.tenantId().toString())
          .put("impersonator", caller.impersonator() == null ? null : caller.impersonator().toString())
          .put("memberships", list));
      })
      .onFailure(ctx::fail);
  }
}
