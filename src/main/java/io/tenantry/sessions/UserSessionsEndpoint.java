package io.tenantry.sessions;

import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.users.MembershipStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/**
 * POST /admin/v1/users/{id}/sessions/revoke (super-admin): revokes every refresh-token family of the user and
 * every access token of the user issued before now (a per-user "not before" checked against the token's iat).
 */
final class UserSessionsEndpoint {
  private final SessionStore store;
  private final Revocations revocations;
  private final MembershipStore memberships = new MembershipStore();

  UserSessionsEndpoint(SessionStore store, Revocations revocations) {
    this.store = store;
    this.revocations = revocations;
  }

  void handle(RoutingContext ctx) {
    UUID user;
    try {
      user = UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      ctx.fail(Problem.badRequest("the user id must be a UUID"));
      return;
    }
    // iat is in whole seconds: the next second is the first in which a token can only have been issued afterwards.
    long notBefore = System.currentTimeMillis() / 1000 + 1;
    memberships.account(store.pool(), user)
      .compose(account -> account.isEmpty() ? Future.failedFuture(Problem.notFound("no such user"))
        : store.revokeUser(user, notBefore))
      .onSuccess(done -> {
        revocations.userRevoked(user, notBefore);
        Responses.noContent(ctx);
      })
      .onFailure(ctx::fail);
  }
}
