package io.tenantry.admin;

import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * PUT /admin/v1/tenants/{slug}/timeouts (super-admin): a tenant's own statement timeout, or null for the default
 * ({@code db.statement-timeout-ms}). Where it applies: {@link io.tenantry.data.TenantDb}.
 */
public final class TenantTimeoutsEndpoint {
  static final int MAX_STATEMENT_TIMEOUT_MS = 3_600_000;
  private static final String FIELD = "statement_timeout_ms";

  private final TenantStore store;
  private final TenantRegistry registry;

  public TenantTimeoutsEndpoint(TenantStore store, TenantRegistry registry) {
    this.store = store;
    this.registry = registry;
  }

  public void put(RoutingContext ctx) {
    Integer millis;
    try {
      millis = statementTimeout(ctx.body().asJsonObject());
    } catch (Problem problem) {
      ctx.fail(problem);
      return;
    }
    String slug = ctx.pathParam("slug");
    Future<Tenant> updated = Tenant.SLUG.matcher(slug).matches()
      ? store.setStatementTimeout(slug, millis).map(found -> found.orElseThrow(() -> Problem.notFound("unknown tenant")))
      : Future.failedFuture(Problem.notFound("unknown tenant"));
    updated
      .onSuccess(tenant -> {
        registry.changed(tenant);
        Responses.json(ctx, 200, new JsonObject().put("slug", tenant.slug()).put(FIELD, tenant.statementTimeoutMs()));
      })
      .onFailure(ctx::fail);
  }

  private static Integer statementTimeout(JsonObject body) {
    if (body == null || !body.containsKey(FIELD)) {
      throw Problem.badRequest(FIELD + " is required: whole milliseconds from 1 to " + MAX_STATEMENT_TIMEOUT_MS
        + ", or null for the default");
    }
    Object value = body.getValue(FIELD);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Integer millis) || millis < 1 || millis > MAX_STATEMENT_TIMEOUT_MS) {
      throw Problem.badRequest(FIELD + " must be whole milliseconds from 1 to " + MAX_STATEMENT_TIMEOUT_MS
        + ", or null for the default");
    }
    return millis;
  }
}
