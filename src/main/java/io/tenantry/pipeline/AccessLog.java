package io.tenantry.pipeline;

import io.tenantry.http.RequestObserver;
import io.tenantry.logging.AccessLine;
import io.tenantry.logging.RequestLogContext;
import io.vertx.ext.web.RoutingContext;

/**
 * One structured log line per request whose response was sent, written when the response ends (a request whose
 * connection closed first has none): method, path, status and duration as key-value pairs. The request id, tenant
 * and user are in the line's MDC, as on every line of the request ({@link RequestLogContext}), not repeated. The
 * line is an {@link AccessLine}: a small event made on the event loop, the rest built where it is written.
 */
public final class AccessLog implements RequestObserver {
  static final AccessLog OBSERVER = new AccessLog();

  private AccessLog() {
  }

  /**
   * A root handler of its own, for a router without the pipeline's entry (the benchmark's baseline server): the
   * request is remembered for its log lines' MDC, as the entry does, so its line says what the pipeline's says.
   */
  public static void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    RequestLogContext.OBSERVER.entered(ctx);
    ctx.addEndHandler(ended -> OBSERVER.ended(ctx, ended.succeeded(), System.nanoTime() - start));
    ctx.next();
  }

  @Override
  public void ended(RoutingContext ctx, boolean sent, long nanos) {
    if (!sent) {
      return;
    }
    AccessLine.log(ctx, ctx.request().method().name(), ctx.request().path(), ctx.response().getStatusCode(),
      nanos / 1_000_000.0);
  }
}
