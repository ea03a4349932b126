package io.tenantry.pipeline;

import io.tenantry.auth.Caller;
import io.tenantry.http.RequestIds;
import io.tenantry.http.RequestObserver;
import io.tenantry.tenant.Tenant;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured log line per request whose response was sent, with tenant, user and request id, written when the
 * response ends (a request whose connection closed first has none).
 */
public final class AccessLog implements RequestObserver {
  private static final Logger LOG = LoggerFactory.getLogger("io.tenantry.access");
  static final AccessLog OBSERVER = new AccessLog();

  private AccessLog() {
  }

  /** A root handler of its own, for a router without the pipeline's entry (the benchmark's baseline server). */
  public static void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(ended -> OBSERVER.ended(ctx, ended.succeeded(), System.nanoTime() - start));
    ctx.next();
  }

  @Override
  public void ended(RoutingContext ctx, boolean sent, long nanos) {
    if (!sent) {
      return;
    }
    Tenant tenant = Tenant.of(ctx);
    Caller caller = Caller.of(ctx);
    LOG.atInfo()
      .addKeyValue("requestId", RequestIds.of(ctx))
      .addKeyValue("method", ctx.request().method().name())
      .addKeyValue("path", ctx.request().path())
      .addKeyValue("status", ctx.response().getStatusCode())
      .addKeyValue("durationMs", nanos / 1_000_000.0)
      .addKeyValue("tenantId", tenant == null ? null : tenant.id())
      .addKeyValue("userId", caller == null ? null : caller.userId())
      .log("request");
  }
}
