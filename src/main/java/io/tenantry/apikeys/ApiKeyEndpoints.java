package io.tenantry.apikeys;

import io.tenantry.auth.Caller;
import io.tenantry.auth.Scopes;
import io.tenantry.http.Paging;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Tenant;
import io.tenantry.admin.Delegation;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.UUID;

/**
 * /admin/v1/tenants/{slug}/api-keys: a tenant's tenant_admin (while the tenant is active) or a super-admin creates,
 * lists and revokes the tenant's keys. Another tenant's admin gets the same 403 whether or not the tenant exists,
 * and a key id of another tenant is 404 like an unknown one.
 */
public final class ApiKeyEndpoints {
  private static final String CURSOR_SCOPE = "api-keys";

  private final ApiKeys keys;
  private final Delegation delegation;

  public ApiKeyEndpoints(ApiKeys keys, TenantStore tenants) {
    this.keys = keys;
    this.delegation = new Delegation(tenants);
  }

  public void create(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    String name = body.getString("name");
    JsonArray asked = body.getJsonArray("scopes");
    Set<String> scopes = Scopes.parse(asked == null ? null : asked.getList());
    OffsetDateTime expiresAt = expiry(body.getString("expires_at"));
    Caller caller = Caller.of(ctx);
    administered(ctx, true)
      .compose(tenant -> keys.create(tenant.id(), name, scopes, expiresAt, caller.userId()))
      .onSuccess(key -> {
        ctx.response().putHeader("Cache-Control", "no-store");
        Responses.json(ctx, 201, key);
      })
      .onFailure(ctx::fail);
  }

  public void list(RoutingContext ctx) {
    int limit = Paging.limit(ctx);
    UUID after = Paging.after(ctx, CURSOR_SCOPE);
    administered(ctx, false)
      .compose(tenant -> keys.store().list(tenant.id(), after, limit + 1))
      .onSuccess(found -> Responses.json(ctx, 200,
        Paging.page(found, limit, CURSOR_SCOPE, json -> UUID.fromString(json.getString("id")), json -> json)))
      .onFailure(ctx::fail);
  }

  public void revoke(RoutingContext ctx) {
    UUID id = keyId(ctx.pathParam("id"));
    administered(ctx, true)
      .compose(tenant -> id == null ? Future.succeededFuture(false) : keys.revoke(id, tenant.id()))
      .compose(revoked -> revoked ? Future.<Void>succeededFuture()
        : Future.failedFuture(Problem.notFound("this tenant has no API key with that id")))
      .onSuccess(v -> Responses.noContent(ctx))
      .onFailure(ctx::fail);
  }

  private static UUID keyId(String text) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static OffsetDateTime expiry(String text) {
    if (text == null) {
      return null;
    }
    OffsetDateTime at;
    try {
      at = OffsetDateTime.parse(text);
    } catch (DateTimeParseException e) {
      throw Problem.badRequest("expires_at must be an RFC 3339 date-time with an offset, e.g. 2027-01-31T00:00:00Z");
    }
    if (!at.isAfter(OffsetDateTime.now())) {
      throw Problem.badRequest("expires_at must be in the future");
    }
    return at;
  }

  /**
   * The tenant named in the path, if the caller administers it; a tenant_admin's writes need it active (only a
   * super-admin changes a suspended tenant).
   */
  private Future<Tenant> administered(RoutingContext ctx, boolean write) {
    return delegation.administered(Caller.of(ctx), ctx.pathParam("slug"), write ? "its API keys" : null);
  }
}
