package io.tenantry.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Operation;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP server's request series, under the names Vert.x's Micrometer metrics gave them, so dashboards and alerts
 * keep working: {@code vertx_http_server_requests_total} and {@code vertx_http_server_response_time_seconds} by
 * route template, method and status class, {@code vertx_http_server_active_requests}, and
 * {@code vertx_http_server_request_resets_total} (connections closed before their response ended). Vert.x's own
 * server metrics looked each meter up by its tags on every response — three registry lookups, each also logging a
 * double-registration check — about 4% of a record read's CPU; here a route's meters are resolved once per route
 * and status class and kept on the route's handler.
 */
public final class HttpServerMeters {
  private static final String ROUTE = "tenantry.metrics.route";
  /** Methods named as sent; any other method is "OTHER", so a client cannot add series. */
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private final MeterRegistry registry;
  private final LongAdder active = new LongAdder();
  private final Counter resets;
  /** Requests no route took (refused before routing, no such path): route "", by method. */
  private final ConcurrentMap<String, RouteMeters> unrouted = new ConcurrentHashMap<>();

  HttpServerMeters(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("vertx.http.server.active.requests", active, LongAdder::sum)
      .description("Number of requests being processed").register(registry);
    this.resets = Counter.builder("vertx.http.server.request.resets")
      .description("Number of requests whose connection closed before the response ended").register(registry);
  }

  /** A request began (once per request); its route is named by {@link #routed}. */
  void entered() {
    active.increment();
  }

  /** It ended: counted under its route and status class, or as a reset when its connection closed first. */
  void ended(RoutingContext ctx, boolean sent, long nanos) {
    active.decrement();
    if (!sent) {
      resets.increment();
      return;
    }
    RouteMeters route = ctx.get(ROUTE);
    if (route == null) {
      route = unrouted.computeIfAbsent(method(ctx.request().method()), m -> new RouteMeters(registry, "", m));
    }
    route.record(ctx.response().getStatusCode(), nanos);
  }

  /** A handler, first on the operation's route, that names the route its request took. */
  public Handler<RoutingContext> routed(Operation operation) {
    RouteMeters meters = new RouteMeters(registry, template(operation.getOpenAPIPath()),
      method(operation.getHttpMethod()));
    return ctx -> {
      ctx.put(ROUTE, meters);
      ctx.next();
    };
  }

  /** The route label Vert.x gave: vertx-web's form of the path, {@code /records/{id}} as {@code /records/:id}. */
  static String template(String openApiPath) {
    return openApiPath.replaceAll("\\{([^}/]+)}", ":$1");
  }

  static String method(HttpMethod method) {
    String name = method.name();
    return METHODS.contains(name) ? name : "OTHER";
  }

  /** One route's meters per status class (1xx ... 5xx), registered when the class first occurs. */
  private static final class RouteMeters {
    private final MeterRegistry registry;
    private final String route;
    private final String method;
    private final Counter[] counts = new Counter[6];
    private final Timer[] times = new Timer[6];

    RouteMeters(MeterRegistry registry, String route, String method) {
      this.registry = registry;
      this.route = route;
      this.method = method;
    }

    void record(int status, long nanos) {
      int statusClass = status >= 100 && status < 600 ? status / 100 : 5;
      Counter count = counts[statusClass];
      Timer time = times[statusClass];
      if (count == null || time == null) {
        // a race registers nothing twice: the registry answers the meter it holds for the same name and tags
        String code = statusClass + "xx";
        count = Counter.builder("vertx.http.server.requests").description("Number of processed requests")
          .tags("route", route, "method", method, "code", code).register(registry);
        time = Timer.builder("vertx.http.server.response.time").description("Request processing time")
          .tags("route", route, "method", method, "code", code).register(registry);
        counts[statusClass] = count;
        times[statusClass] = time;
      }
      count.increment();
      time.record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
