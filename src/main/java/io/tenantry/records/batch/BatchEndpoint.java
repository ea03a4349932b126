package io.tenantry.records.batch;

import io.tenantry.audit.AuditActor;
import io.tenantry.audit.AuditHooks;
import io.tenantry.audit.AuditSealer;
import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.pipeline.RateLimitAnswer;
import io.tenantry.ratelimit.Limits;
import io.tenantry.ratelimit.LimitsCache;
import io.tenantry.ratelimit.RateLimiter;
import io.tenantry.records.RecordEndpoints;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * {@code POST /api/v1/collections/{collection}/records:batch}. The gate charged the request as one write before
 * its body was read; once the body says how many operations it holds, the other items are charged here (write
 * cost × items in all), before any database work, so a batch costs what as many single writes would.
 */
public final class BatchEndpoint {
  private final BatchWriter writer;
  private final LimitsCache limits;
  private final RateLimiter limiter;
  private final AuditSealer sealer;

  public BatchEndpoint(BatchWriter writer, LimitsCache limits, RateLimiter limiter, AuditSealer sealer) {
    this.writer = writer;
    this.limits = limits;
    this.limiter = limiter;
    this.sealer = sealer;
  }

  public void handle(RoutingContext ctx) {
    Tenant tenant = Tenant.of(ctx);
    String collection = RecordEndpoints.collection(ctx);
    BatchRequest batch = BatchRequest.parse(RecordEndpoints.body(ctx));
    Future<List<ItemResult>> applied = charge(ctx, tenant, batch.operations().size()).compose(v -> {
      sealer.touched(tenant.id());
      return writer.apply(tenant, collection, batch, AuditActor.of(ctx));
    });
    Responses.when(ctx, applied, results -> {
      AuditHooks.storedWithWrite(ctx); // each item's entry went in with its write
      JsonArray items = new JsonArray();
      results.forEach(r -> items.add(r.toJson()));
      Responses.json(ctx, 200, new JsonObject().put("atomic", batch.atomic()).put("results", items));
    });
  }

  /** The items beyond the first; a batch that costs more than the burst could never pass, and is told so. */
  private Future<Void> charge(RoutingContext ctx, Tenant tenant, int items) {
    if (items == 1) {
      return Future.succeededFuture();
    }
    return limits.get(tenant.id()).compose(found -> {
      Limits effective = found.effective();
      int burst = effective.hasUserLimit() ? Math.min(effective.burst(), effective.userBurst()) : effective.burst();
      if ((long) items * effective.writeCost() > burst) {
        return Future.failedFuture(Problem.of(413, "payload-too-large", "Payload too large", "this batch costs "
          + (long) items * effective.writeCost() + " requests (" + items + " writes at " + effective.writeCost()
          + " each), more than the rate limit's burst of " + burst + ": send at most "
          + Math.max(1, burst / effective.writeCost()) + " operations per batch"));
      }
      return limiter.charge(tenant.id(), Caller.of(ctx).principal(), (items - 1) * effective.writeCost(), effective);
    }).compose(decision -> {
      RateLimitAnswer.headers(ctx.response(), decision);
      return decision.allowed() ? Future.succeededFuture() : Future.failedFuture(RateLimitAnswer.tooManyRequests(decision));
    });
  }
}
