package io.tenantry.sessions;

import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * POST /auth/logout: ends the caller's session — the refresh-token family the presented access token came from
 * (with every access token issued from it) and the presented access token itself, on every node.
 */
final class LogoutEndpoint {
  private static final String BEARER = "Bearer ";

  private final SessionStore store;
  private final Revocations revocations;

  LogoutEndpoint(SessionStore store, Revocations revocations) {
    this.store = store;
    this.revocations = revocations;
  }

  void handle(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    String header = ctx.request().getHeader("Authorization");
    if (caller == null || header == null) {
      ctx.fail(Problem.unauthorized("authentication is required"));
      return;
    }
    if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      ctx.fail(Problem.badRequest("logout ends a session signed in with a token; an API key is revoked through "
        + "the API key endpoints"));
      return;
    }
    UUID jti;
    long exp;
    try {
      // The gate has verified this token already: its payload is trusted here.
      JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder()
        .decode(header.substring(BEARER.length()).trim().split("\\.")[1]), StandardCharsets.UTF_8));
      jti = UUID.fromString(claims.getString("jti"));
      exp = claims.getLong("exp") * 1000;
    } catch (RuntimeException e) {
      ctx.fail(Problem.badRequest("this token has no jti to revoke; it ends at its exp"));
      return;
    }
    store.familyOfAccessToken(jti, caller.userId())
      .compose(family -> family.isEmpty() ? Future.succeededFuture(List.<SessionStore.RevokedJti>of())
        : store.revokeFamily(family.get()))
      .compose(jtis -> store.revokeJti(jti, exp).map(done -> {
        List<SessionStore.RevokedJti> all = new ArrayList<>(jtis);
        all.add(new SessionStore.RevokedJti(jti.toString(), exp));
        revocations.jtisRevoked(all);
        return null;
      }))
      .onSuccess(done -> Responses.noContent(ctx))
      .onFailure(ctx::fail);
  }
}
