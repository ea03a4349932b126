package io.tenantry.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Consumer;

/** Small helpers every handler ends with. */
public final class Responses {
  public static final String JSON = "application/json";
  /**
   * Context key of a {@code BiFunction<Integer, Buffer, Future<Void>>} that must have kept a JSON answer before it
   * is sent (the first use of an Idempotency-Key), so that a retry seeing the answer can always replay it.
   */
  public static final String KEEPER = "responses.keeper";

  private Responses() {
  }

  /**
   * Sends {@code body}, or — when it cannot be encoded — fails the request (a 500 problem carrying the request id).
   * Handlers call this from a future's callback, where a throw would be swallowed and the client left waiting until
   * its connection timed out.
   */
  public static Future<Void> json(RoutingContext ctx, int status, JsonObject body) {
    Buffer encoded;
    try {
      encoded = body.toBuffer();
    } catch (RuntimeException e) {
      ctx.fail(e);
      return Future.failedFuture(e);
    }
    java.util.function.BiFunction<Integer, Buffer, Future<Void>> keeper = ctx.get(KEEPER);
    if (keeper != null) {
      return keeper.apply(status, encoded)
        .compose(kept -> ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(encoded));
    }
    return ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(encoded);
  }

  /**
   * Answers with {@code respond} once {@code result} succeeds, else fails the request with its cause; a throw from
   * {@code respond} fails the request too, so that no outcome leaves it unanswered.
   */
  public static <T> void when(RoutingContext ctx, Future<T> result, Consumer<T> respond) {
    result.onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
        return;
      }
      try {
        respond.accept(done.result());
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
  }

  public static Future<Void> noContent(RoutingContext ctx) {
    return ctx.response().setStatusCode(204).end();
  }
}
