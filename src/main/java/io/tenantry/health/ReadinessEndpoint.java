package io.tenantry.health;

import io.tenantry.auth.Caller;
import io.tenantry.http.Responses;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/**
 * GET /health/ready. Everyone gets the verdict — 200 {"status":"UP"} or 503 {"status":"DOWN"}, all a load balancer
 * needs; only a super-admin's token also gets the checks, whose data name this node, the cluster's members and what
 * failed — an anonymous caller or a tenant's user has no business knowing the deployment's layout.
 */
public final class ReadinessEndpoint implements Handler<RoutingContext> {
  private final HealthChecks checks;
  private final HealthCheckHandler detailed;

  public ReadinessEndpoint(HealthChecks checks) {
    this.checks = checks;
    this.detailed = HealthCheckHandler.createWithHealthChecks(checks);
  }

  @Override
  public void handle(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    if (caller != null && caller.superAdmin()) {
      detailed.handle(ctx);
      return;
    }
    checks.checkStatus().onComplete(result -> {
      boolean up = result.succeeded() && CheckResult.isUp(result.result());
      ctx.response().putHeader("Cache-Control", "no-store");
      Responses.json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN"));
    });
  }
}
