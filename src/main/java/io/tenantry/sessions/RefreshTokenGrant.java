package io.tenantry.sessions;

import io.tenantry.audit.AuditMarks;
import io.tenantry.auth.Caller;
import io.tenantry.auth.RefreshGrants;
import io.tenantry.auth.TenantTokenTtl;
import io.tenantry.auth.Tokens;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.users.MembershipStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * grant_type refresh_token: spends the presented refresh token and answers a new access token and a new refresh
 * token of the same family (rotation). The roles are read again from the database, as at sign-in, and the tenant
 * stays the one of the sign-in. A spent token presented again is taken as stolen: its whole family is revoked,
 * with the access tokens issued from it, and the answer is 401 — so the legitimate holder must sign in again too.
 */
final class RefreshTokenGrant implements RefreshGrants {
  static final Problem REFUSED = Problem.unauthorized("the refresh token is invalid, expired, spent or revoked");

  private final SessionStore store;
  private final Revocations revocations;
  private final Tokens tokens;
  private final TenantRegistry tenants;
  private final TenantTokenTtl tenantTtl;
  private final MembershipStore memberships = new MembershipStore();
  private final long refreshTtlMillis;

  RefreshTokenGrant(SessionStore store, Revocations revocations, Tokens tokens, TenantRegistry tenants,
                    TenantTokenTtl tenantTtl, int refreshTtlSeconds) {
    this.store = store;
    this.revocations = revocations;
    this.tokens = tokens;
    this.tenants = tenants;
    this.tenantTtl = tenantTtl;
    this.refreshTtlMillis = refreshTtlSeconds * 1000L;
  }

  @Override
  public Future<String> begin(UUID userId, UUID tenantId, UUID accessJti, long accessExpiresAtMillis) {
    return issue(UUID.randomUUID(), userId, tenantId, accessJti, accessExpiresAtMillis);
  }

  @Override
  public void handle(RoutingContext ctx, JsonObject body) {
    if (!(body.getValue("refresh_token") instanceof String text) || body.size() != 2) {
      ctx.fail(Problem.badRequest("grant_type refresh_token takes only refresh_token (a string); the tenant stays "
        + "the one of the sign-in: sign in again with a password for another tenant"));
      return;
    }
    byte[] hash = RefreshTokenText.hash(text);
    store.spend(hash)
      .compose(spent -> {
        spent.ifPresent(s -> AuditMarks.auth(ctx, "auth.refresh", s.userId(), s.tenantId(), null));
        return spent.isPresent() ? renew(spent.get()) : reused(ctx, hash);
      })
      .onSuccess(answer -> {
        ctx.response().putHeader("Cache-Control", "no-store");
        Responses.json(ctx, 200, answer);
      })
      .onFailure(ctx::fail);
  }

  private Future<JsonObject> reused(RoutingContext ctx, byte[] hash) {
    return store.reusedFamily(hash)
      .compose(family -> family.isEmpty() ? Future.succeededFuture()
        : store.revokeFamily(family.get().familyId()).map(jtis -> {
          AuditMarks.auth(ctx, "auth.refresh.reuse", family.get().userId(), family.get().tenantId(),
            new JsonObject().put("family", family.get().familyId().toString()).put("tokens_revoked", jtis.size()));
          revocations.jtisRevoked(jtis);
          return null;
        }))
      .compose(done -> Future.failedFuture(REFUSED));
  }

  private Future<JsonObject> renew(SessionStore.Spent spent) {
    UUID user = spent.userId();
    UUID tenantId = spent.tenantId();
    var account = memberships.account(store.pool(), user);
    Future<Optional<Tenant>> tenant = tenantId == null ? Future.succeededFuture(Optional.empty()) : tenants.byId(tenantId);
    Future<String> role = tenantId == null ? Future.succeededFuture(null) : memberships.role(store.pool(), user, tenantId);
    return Future.all(account, tenant, role).compose(loaded -> {
      if (account.result().isEmpty()) {
        return Future.failedFuture(REFUSED);
      }
      List<String> roles = new ArrayList<>(2);
      if (role.result() != null) {
        roles.add(role.result());
      }
      if (account.result().get().superAdmin()) {
        roles.add(Caller.SUPER_ADMIN);
      }
      if (tenantId != null && (tenant.result().isEmpty() || !tenant.result().get().active() || roles.isEmpty())) {
        return Future.failedFuture(REFUSED);
      }
      Future<Integer> ttl = tenantId == null ? Future.succeededFuture(tokens.ttlSeconds())
        : tenantTtl.seconds(tenant.result().get()).map(t -> Math.min(t, tokens.ttlSeconds()));
      return ttl.compose(seconds -> {
        UUID jti = UUID.randomUUID();
        String access = tokens.issue(user, tenantId, roles, seconds, jti);
        return issue(spent.familyId(), user, tenantId, jti, System.currentTimeMillis() + seconds * 1000L + 1000)
          .map(refresh -> new JsonObject()
            .put("access_token", access)
            .put("token_type", "Bearer")
            .put("expires_in", seconds)
            .put("refresh_token", refresh));
      });
    });
  }

  private Future<String> issue(UUID family, UUID user, UUID tenantId, UUID accessJti, long accessExpMillis) {
    String text = RefreshTokenText.create();
    return store.insert(family, user, tenantId, RefreshTokenText.hash(text), accessJti, accessExpMillis,
      System.currentTimeMillis() + refreshTtlMillis).map(text);
  }
}
