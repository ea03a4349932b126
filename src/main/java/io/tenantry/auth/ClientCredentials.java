package io.tenantry.auth;

import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The client_credentials grant of POST /auth/token: an API key for a short-lived token of the key's tenant carrying
 * its scopes and id, so a client can verify its key once and then send a JWT. A wrong, revoked or expired key, or
 * one of a tenant that is not active, gets the same 401 as an unknown one.
 */
final class ClientCredentials {
  static final String GRANT = "client_credentials";
  private static final Problem REFUSED = Problem.unauthorized("invalid credentials");

  private final ApiKeyVerifier keys;
  private final TenantRegistry tenants;
  private final Tokens tokens;

  ClientCredentials(ApiKeyVerifier keys, TenantRegistry tenants, Tokens tokens) {
    this.keys = keys;
    this.tenants = tenants;
    this.tokens = tokens;
  }

  void handle(RoutingContext ctx, JsonObject body) {
    String key = body.getString("api_key");
    if (key == null) {
      ctx.fail(Problem.badRequest("the client_credentials grant needs api_key"));
      return;
    }
    keys.verify(key)
      .recover(refused -> Future.failedFuture(REFUSED))
      .compose(caller -> tenants.byId(caller.tenantId()).compose(tenant ->
        tenant.isPresent() && tenant.get().active() ? Future.succeededFuture(tokens.issueFor(caller))
          : Future.failedFuture(REFUSED)))
      .onSuccess(token -> {
        ctx.response().putHeader("Cache-Control", "no-store");
        Responses.json(ctx, 200, new JsonObject()
          .put("access_token", token)
          .put("token_type", "Bearer")
          .put("expires_in", tokens.ttlSeconds()));
      })
      .onFailure(ctx::fail);
  }
}
