package io.tenantry.pipeline;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * Checks, where Java assertions are on (every test run), that a request is handled on the event loop it arrived
 * on: its per-loop pool and its context belong to that loop. Used as {@code assert SameLoop.mark(ctx)} so it costs
 * nothing in production.
 */
public final class SameLoop {
  private static final String KEY = "arrivalLoop";

  private SameLoop() {
  }

  public static boolean mark(RoutingContext ctx) {
    if (ctx.get(KEY) == null) {
      ctx.put(KEY, Vertx.currentContext());
    }
    return true;
  }

  public static boolean holds(RoutingContext ctx) {
    Context arrival = ctx.get(KEY);
    if (arrival != null && arrival != Vertx.currentContext()) {
      throw new AssertionError("request " + ctx.request().path() + " moved from " + arrival + " to " + Vertx.currentContext());
    }
    return true;
  }
}
