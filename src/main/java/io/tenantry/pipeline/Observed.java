package io.tenantry.pipeline;

import io.tenantry.http.RequestObserver;
import io.tenantry.metering.UsageMeter;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * A request from its entry to its end: the one end handler that shows the observers its end, and the usage meter's
 * admission when the gate admitted it, which is charged there. The routing context holds it under one key from the
 * entry on (the mark that the request was observed, which a reroute sees), so the admission costs the request no
 * entry of its own in the context's data map.
 */
final class Observed implements Handler<AsyncResult<Void>> {
  private static final String KEY = "pipeline.observed";
  private final RoutingContext ctx;
  private final RequestObserver[] observers;
  private final long start = System.nanoTime();
  private UsageMeter.Admission admission;

  private Observed(RoutingContext ctx, RequestObserver[] observers) {
    this.ctx = ctx;
    this.observers = observers;
  }

  /** Observes the request unless it was already (a reroute passes the entry again). */
  static void enter(RoutingContext ctx, RequestObserver[] observers) {
    if (ctx.get(KEY) != null) {
      return;
    }
    Observed observed = new Observed(ctx, observers);
    ctx.put(KEY, observed);
    for (RequestObserver observer : observers) {
      observer.entered(ctx);
    }
    ctx.addEndHandler(observed);
  }

  /** The gate admitted the request: its meter's admission (null with metering off) is charged at its end. */
  static void admitted(RoutingContext ctx, UsageMeter.Admission admission) {
    if (admission != null) {
      Observed observed = ctx.get(KEY);
      observed.admission = admission;
    }
  }

  @Override
  public void handle(AsyncResult<Void> ended) {
    long nanos = System.nanoTime() - start;
    boolean sent = ended.succeeded();
    if (admission != null) {
      HttpServerResponse response = ctx.response();
      admission.answered(sent, response.getStatusCode(), response.bytesWritten());
    }
    for (RequestObserver observer : observers) {
      observer.ended(ctx, sent, nanos);
    }
  }
}
