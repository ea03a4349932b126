package io.tenantry.auth;

import io.tenantry.audit.AuditMarks;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.users.PasswordHashing;
import io.tenantry.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * POST /auth/token: email + password (+ tenant) for an access token. A wrong password, an unknown email, an
 * unknown or suspended tenant and a non-member all get the same 401 after the same work — one user lookup,
 * one membership lookup when a tenant is asked for, one password hash — so none can be told apart.
 * Each such refusal counts against the email and the client address in the {@link LoginThrottle}; while either is
 * throttled, attempts get that same 401 at once, before any lookup or hash, whether or not the email exists.
 */
public final class TokenEndpoint {
  private static final Problem REFUSED = Problem.unauthorized("invalid credentials");

  private final UserStore users;
  private final TenantRegistry tenants;
  private final PasswordHashing passwords;
  private final LoginThrottle throttle;
  private final Tokens tokens;
  private final int refusalDelayMs;
  private final TenantTokenTtl tenantTtl;
  private final ClientCredentials clientCredentials;
  private final RefreshGrants refresh;

  public TokenEndpoint(UserStore users, TenantRegistry tenants, PasswordHashing passwords, LoginThrottle throttle,
                       Tokens tokens, int refusalDelayMs, TenantTokenTtl tenantTtl, ApiKeyVerifier keys,
                       RefreshGrants refresh) {
    this.refresh = refresh;
    this.tenantTtl = tenantTtl;
    this.clientCredentials = new ClientCredentials(keys, tenants, tokens);
    this.users = users;
    this.tenants = tenants;
    this.passwords = passwords;
    this.throttle = throttle;
    this.tokens = tokens;
    this.refusalDelayMs = refusalDelayMs;
  }

  public void handle(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    if (ClientCredentials.GRANT.equals(body.getString("grant_type"))) {
      clientCredentials.handle(ctx, body);
      return;
    }
    if (RefreshGrants.GRANT.equals(body.getString("grant_type"))) {
      refresh.handle(ctx, body);
      return;
    }
    String email = body.getString("email");
    String password = body.getString("password");
    if (email == null || password == null || body.containsKey("api_key")) {
      ctx.fail(Problem.badRequest("the password grant needs email and password (and no api_key); "
        + "for an API key use grant_type client_credentials"));
      return;
    }
    String tenantName = body.getString("tenant");
    String account = LoginKeys.account(email);
    String address = LoginKeys.address(ctx.request().remoteAddress());
    if (throttle.refused(account, address)) {
      AuditMarks.auth(ctx, "auth.login.lockout", null, null, new JsonObject().put("email", email));
      refuseLater(ctx, REFUSED);
      return;
    }
    Future<Optional<UserStore.User>> user = users.byEmail(users.pool(), email);
    Future<Optional<Tenant>> tenant = tenantName == null ? Future.succeededFuture(Optional.empty()) : lookup(tenantName);
    Future.all(user, tenant)
      .compose(found -> decide(user.result().orElse(null), tenantName != null, tenant.result().orElse(null), password))
      .compose(issued -> refresh.begin(user.result().get().id(), issued.tenantId(), issued.jti(),
          System.currentTimeMillis() + issued.ttlSeconds() * 1000L + 1000)
        .map(refreshToken -> {
          JsonObject answer = new JsonObject()
            .put("access_token", issued.token())
            .put("token_type", "Bearer")
            .put("expires_in", issued.ttlSeconds());
          return refreshToken == null ? answer : answer.put("refresh_token", refreshToken);
        }))
      .onSuccess(answer -> {
        AuditMarks.auth(ctx, "auth.login.success", user.result().get().id(),
          tenant.result().map(Tenant::id).orElse(null), new JsonObject().put("email", email));
        throttle.succeeded(account);
        ctx.response().putHeader("Cache-Control", "no-store");
        Responses.json(ctx, 200, answer);
      })
      .onFailure(failure -> {
        if (failure == REFUSED) {
          throttle.failed(account, address);
          AuditMarks.auth(ctx, "auth.login.failure", user.succeeded() ? user.result().map(UserStore.User::id).orElse(null) : null,
            tenant.succeeded() ? tenant.result().map(Tenant::id).orElse(null) : null, new JsonObject().put("email", email));
        }
        if (failure == REFUSED || failure == PasswordHashing.BUSY) {
          refuseLater(ctx, (Problem) failure);
        } else {
          ctx.fail(failure);
        }
      });
  }

  /**
   * Answers a refusal login.refusal-delay-ms after the request: it costs a timer, and a closed-loop flood gets at most
   * one answer per connection per delay instead of spinning on cheap refusals.
   */
  private void refuseLater(RoutingContext ctx, Problem refusal) {
    if (refusalDelayMs == 0) {
      ctx.fail(refusal);
      return;
    }
    ctx.vertx().setTimer(refusalDelayMs, id -> {
      if (!ctx.response().closed()) {
        ctx.fail(refusal);
      }
    });
  }

  private Future<Optional<Tenant>> lookup(String name) {
    try {
      return tenants.byId(UUID.fromString(name));
    } catch (IllegalArgumentException notAnId) {
      return Tenant.SLUG.matcher(name).matches() ? tenants.bySlug(name) : Future.succeededFuture(Optional.empty());
    }
  }

  private record Issued(String token, int ttlSeconds, UUID jti, UUID tenantId) {
  }

  private Future<Issued> decide(UserStore.User user, boolean tenantAsked, Tenant tenant, String password) {
    // Same queries whether or not the user and tenant exist: random ids stand in for missing ones.
    Future<Optional<String>> role = tenantAsked
      ? users.role(user == null ? UUID.randomUUID() : user.id(), tenant == null ? UUID.randomUUID() : tenant.id())
      : Future.succeededFuture(Optional.empty());
    Future<Boolean> verified = passwords.verify(password, user == null ? null : user.passwordHash());
    return Future.all(role, verified).compose(done -> {
      if (!verified.result()) {
        return Future.failedFuture(REFUSED);
      }
      List<String> roles = new ArrayList<>(2);
      role.result().ifPresent(roles::add);
      if (user.superAdmin()) {
        roles.add(Caller.SUPER_ADMIN);
      }
      if (tenantAsked && (tenant == null || !tenant.active() || roles.isEmpty())) {
        return Future.failedFuture(REFUSED);
      }
      UUID jti = UUID.randomUUID();
      if (!tenantAsked) {
        return Future.succeededFuture(
          new Issued(tokens.issue(user.id(), null, roles, tokens.ttlSeconds(), jti), tokens.ttlSeconds(), jti, null));
      }
      return tenantTtl.seconds(tenant).map(ttl -> {
        int seconds = Math.min(ttl, tokens.ttlSeconds());
        return new Issued(tokens.issue(user.id(), tenant.id(), roles, seconds, jti), seconds, jti, tenant.id());
      });
    });
  }
}
