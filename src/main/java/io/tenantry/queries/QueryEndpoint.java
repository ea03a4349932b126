package io.tenantry.queries;

import io.tenantry.data.TenantDb;
import io.tenantry.http.Problem;
import io.tenantry.http.RequestIds;
import io.tenantry.metering.Meter;
import io.tenantry.metering.UsageMeter;
import io.tenantry.records.Record;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.tenantry.records.RecordSearch;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantSearch;
import io.tenantry.tenant.TenantStore;
import io.tenantry.tenant.TenantTree;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * POST /admin/v1/queries (super-admin, checked by the route): one records query run in many tenants, each under its
 * own context in its own tier, answered as NDJSON (docs/cross-tenant.md). Everything that can refuse the request —
 * the body, an unknown tenant — is checked before the first byte of the answer. Each tenant whose part was answered
 * is charged one {@code query_units} unit (docs/billing.md): its data was read on its behalf.
 */
public final class QueryEndpoint {
  private final QueryTargets targets;
  private final TenantPart part;
  private final int concurrency;
  private final UsageMeter usage;

  public QueryEndpoint(TenantRegistry registry, TenantSearch search, TenantStore store, TenantTree tree, TenantDb db,
                       int concurrency, int tenantTimeoutMs, UsageMeter usage) {
    this.targets = new QueryTargets(registry, search, store, tree);
    this.part = new TenantPart(db, new RecordSearch(), tenantTimeoutMs);
    this.concurrency = concurrency;
    this.usage = usage;
  }

  /** A tenant's part, charged one query unit to that tenant once its records were read. */
  private Future<List<Record>> charged(Tenant tenant, QueryRequest query) {
    return part.run(tenant, query).onSuccess(records -> usage.add(tenant.id(), Meter.QUERY_UNITS, 1));
  }

  public void handle(RoutingContext ctx) {
    QueryRequest query;
    try {
      query = QueryRequest.parse(body(ctx));
    } catch (Problem problem) {
      ctx.fail(problem);
      return;
    }
    targets.resolve(query.target())
      .onSuccess(source -> new FanOut(ctx.vertx(), ctx.response(), query, source, this::charged, part.timeoutMs(),
        concurrency, RequestIds.of(ctx)).start())
      .onFailure(ctx::fail);
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      return ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw Problem.badRequest("the body must be a JSON object");
    }
  }
}
