package io.tenantry.logging;

import io.tenantry.auth.Caller;
import io.tenantry.http.RequestIds;
import io.tenantry.http.RequestObserver;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/**
 * The request a log line belongs to. Vert.x runs each HTTP request on a context of its own (a duplicate of its
 * event loop's), which follows the request across its hops (database and Redis answers, timers, blocking work), so
 * the request is kept in that context's local data, and {@link RequestMdcFilter} reads it for every log line. A
 * thread-local MDC would not do: one event-loop thread interleaves many requests. The local-data map is Vert.x
 * internal API (io.vertx.core.internal); this class is its one user here.
 */
public final class RequestLogContext {
  private static final Object KEY = RequestLogContext.class;

  private RequestLogContext() {
  }

  /** Remembers each request on its context as it enters the pipeline, before anything else logs. */
  public static final RequestObserver OBSERVER = new RequestObserver() {
    @Override
    public void entered(RoutingContext ctx) {
      remember(ctx);
    }
  };

  private static void remember(RoutingContext ctx) {
    if (Vertx.currentContext() instanceof ContextInternal context && context.isDuplicate()) {
      context.putLocal(KEY, ctx);
    }
  }

  /** The request running on the current context, or null (a background task, a thread outside Vert.x). */
  static RoutingContext current() {
    Context context = Vertx.currentContext();
    return context instanceof ContextInternal internal && internal.isDuplicate() ? internal.getLocal(KEY) : null;
  }

  static String requestId(RoutingContext ctx) {
    return RequestIds.of(ctx);
  }

  static String tenantId(RoutingContext ctx) {
    UUID tenant = tenant(ctx);
    return tenant == null ? null : tenant.toString();
  }

  static String userId(RoutingContext ctx) {
    UUID user = user(ctx);
    return user == null ? null : user.toString();
  }

  static UUID tenant(RoutingContext ctx) {
    Tenant tenant = Tenant.of(ctx);
    return tenant == null ? null : tenant.id();
  }

  static UUID user(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    return caller == null ? null : caller.userId();
  }
}
