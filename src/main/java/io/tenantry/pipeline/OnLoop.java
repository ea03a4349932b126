package io.tenantry.pipeline;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Continues a gate step when its future completes: at once when it already has (the usual case: cached tenant,
 * cached limits, a local lease), otherwise with the request paused — its body stays unread until the body handler
 * after the gate takes it — and back on the request's own event loop. A future shared through a cache (a tenant or
 * its limits being loaded by another request) belongs to the loop that started the load, and its listeners run
 * there: without the hop back the rest of the request (pools, validation, handler) would run on another loop.
 */
final class OnLoop {
  private OnLoop() {
  }

  static <T> void whenDone(Future<T> future, RoutingContext ctx, Handler<AsyncResult<T>> then) {
    if (future.isComplete()) {
      then.handle(future);
      return;
    }
    HttpServerRequest request = ctx.request();
    if (!request.isEnded()) {
      request.pause();
    }
    Context context = Vertx.currentContext();
    future.onComplete(result -> {
      if (Vertx.currentContext() == context) {
        then.handle(result);
      } else {
        context.runOnContext(v -> then.handle(result));
      }
    });
  }
}
