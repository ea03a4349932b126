package io.tenantry.pipeline;

import io.tenantry.auth.Caller;
import io.tenantry.http.RequestIds;
import io.tenantry.tenant.Tenant;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One structured log line per request, written when the response ends, with tenant, user and request id. */
public final class AccessLog {
  private static final Logger LOG = LoggerFactory.getLogger("io.tenantry.access");

  private AccessLog() {
  }

  /** A root handler: {@link #observe}, then on. */
  public static void handle(RoutingContext ctx) {
    observe(ctx);
    ctx.next();
  }

  /** Arranges the request's line for when its response ends; call once per request. */
  public static void observe(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addBodyEndHandler(v -> {
      Tenant tenant = Tenant.of(ctx);
      Caller caller = Caller.of(ctx);
      LOG.atInfo()
        .addKeyValue("requestId", RequestIds.of(ctx))
        .addKeyValue("method", ctx.request().method().name())
        .addKeyValue("path", ctx.request().path())
        .addKeyValue("status", ctx.response().getStatusCode())
        .addKeyValue("durationMs", (System.nanoTime() - start) / 1_000_000.0)
        .addKeyValue("tenantId", tenant == null ? null : tenant.id())
        .addKeyValue("userId", caller == null ? null : caller.userId())
        .log("request");
    });
  }
}
