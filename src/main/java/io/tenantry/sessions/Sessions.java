package io.tenantry.sessions;

import io.tenantry.auth.RefreshGrants;
import io.tenantry.auth.TenantTokenTtl;
import io.tenantry.auth.Tokens;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/** Refresh tokens, logout and revocation (docs/identity.md#sessions): the wiring. */
public final class Sessions {
  private final Revocations revocations;
  private final RefreshTokenGrant grant;
  private final LogoutEndpoint logout;
  private final UserSessionsEndpoint userSessions;

  private Sessions(Pool pool, Tokens tokens, TenantRegistry tenants, TenantTokenTtl tenantTtl, int refreshTtlSeconds) {
    SessionStore store = new SessionStore(pool);
    this.revocations = new Revocations(store, tokens);
    this.grant = new RefreshTokenGrant(store, revocations, tokens, tenants, tenantTtl, refreshTtlSeconds);
    this.logout = new LogoutEndpoint(store, revocations);
    this.userSessions = new UserSessionsEndpoint(store, revocations);
  }

  /** Listens for revocations and loads the live ones before answering. */
  public static Future<Sessions> start(Vertx vertx, Pool pool, Tokens tokens, TenantRegistry tenants,
                                       TenantTokenTtl tenantTtl, int refreshTtlSeconds) {
    Sessions sessions = new Sessions(pool, tokens, tenants, tenantTtl, refreshTtlSeconds);
    return sessions.revocations.start(vertx).map(sessions);
  }

  public RefreshGrants grants() {
    return grant;
  }

  public void logout(RoutingContext ctx) {
    logout.handle(ctx);
  }

  public void revokeUserSessions(RoutingContext ctx) {
    userSessions.handle(ctx);
  }

  /** After a membership change: revocation notices may have been lost meanwhile. */
  public void reload() {
    revocations.reload();
  }

  public void stop() {
    revocations.stop();
  }
}
