package io.tenantry.audit;

import io.tenantry.auth.Caller;
import io.tenantry.http.RequestIds;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/**
 * Who caused an audit entry and through which request: the user, the API key, the super-admin impersonating the
 * user (null until impersonation exists), the request id and the client's address. Any of them may be null.
 */
public record AuditActor(UUID user, UUID key, UUID impersonator, String requestId, String clientAddress) {
  /** Work the server does on its own (the sealer, pruning, tests' direct store calls). */
  public static final AuditActor SYSTEM = new AuditActor(null, null, null, null, null);

  public static AuditActor of(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    return new AuditActor(caller == null ? null : caller.userId(), caller == null ? null : caller.keyId(),
      caller == null ? null : caller.impersonator(), RequestIds.of(ctx), address(ctx));
  }

  /** The same request with a user known from elsewhere (a sign-in names its user before any token exists). */
  public AuditActor withUser(UUID userId) {
    return new AuditActor(userId, key, impersonator, requestId, clientAddress);
  }

  public AuditActor withKey(UUID keyId) {
    return new AuditActor(user, keyId, impersonator, requestId, clientAddress);
  }

  static String address(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    return remote == null ? null : remote.hostAddress();
  }
}
