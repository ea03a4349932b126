package io.tenantry.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/** Refresh tokens as {@link TokenEndpoint} needs them; implemented by the sessions package. */
public interface RefreshGrants {
  String GRANT = "refresh_token";

  /** Starts a session (a refresh-token family) for a sign-in; the refresh token, or null when there are none. */
  Future<String> begin(UUID userId, UUID tenantId, UUID accessJti, long accessExpiresAtMillis);

  /** POST /auth/token with grant_type refresh_token. */
  void handle(RoutingContext ctx, JsonObject body);

  RefreshGrants NONE = new RefreshGrants() {
    @Override
    public Future<String> begin(UUID userId, UUID tenantId, UUID accessJti, long accessExpiresAtMillis) {
      return Future.succeededFuture(null);
    }

    @Override
    public void handle(RoutingContext ctx, JsonObject body) {
      ctx.fail(io.tenantry.http.Problem.badRequest("grant_type refresh_token is not enabled on this server"));
    }
  };
}
