package io.tenantry.http;

import io.vertx.ext.web.RoutingContext;

/**
 * Sees every request once when it enters the pipeline and once when it ends. The pipeline's entry calls every
 * observer from one end handler per request, so an observer adds no handler, lambda or list entry of its own to a
 * request; state it needs at the end is on the routing context or derived from it.
 */
public interface RequestObserver {
  /** First thing, before the gate: the request may still be refused. It must not end the request. */
  default void entered(RoutingContext ctx) {
  }

  /**
   * The request is over.
   *
   * @param sent  its response was sent whole; false when its connection closed first
   * @param nanos how long since it entered
   */
  default void ended(RoutingContext ctx, boolean sent, long nanos) {
  }
}
