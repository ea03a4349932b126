package io.tenantry.pipeline;

import io.tenantry.auth.Authenticator;
import io.tenantry.health.Draining;
import io.tenantry.http.RequestIds;
import io.tenantry.http.RequestObserver;
import io.tenantry.http.StrictJson;
import io.tenantry.ratelimit.RateLimiting;
import io.tenantry.storage.StreamedUploads;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantSources;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * The request pipeline, in the order every request meets it:
 * <ol>
 *   <li>entry — once per request the observers ({@link RequestObserver}: log context, metrics, audit, and the access
 *       log when enabled) see it enter, and one end handler ({@link Observed}) charges the usage meter's admission
 *       when the gate admitted the request and shows them its end; /t/{slug}/api/...
 *       rerouted to /api/...; "Connection: close" while draining; the request id; then the entry's last step (a
 *       trusted metrics scraper is served there, before authentication);</li>
 *   <li>{@link Gate} — authenticate, and on the data plane name the tenant, resolve it and authorize the caller in
 *       it, then charge its rate limit: all on headers, before the body is read;</li>
 *   <li>body — read, bounded by http.body-limit;</li>
 *   <li>strict JSON — a JSON body must round-trip exactly ({@link StrictJson}), before validation parses it.</li>
 * </ol>
 * then, per route: validation against openapi.yaml (vertx-openapi), the route's role check
 * ({@link io.tenantry.auth.Access}), the handler. Each root handler is one more pass through the router per
 * request, which is why the entry's steps are one handler and the gate's steps another.
 */
public final class Pipeline {
  private final Gate gate;
  private final Draining draining;
  private final long bodyLimit;
  private final int jsonMaxDepth;
  private final boolean accessLog;

  private Pipeline(Gate gate, Draining draining, long bodyLimit, int jsonMaxDepth, boolean accessLog) {
    this.gate = gate;
    this.draining = draining;
    this.bodyLimit = bodyLimit;
    this.jsonMaxDepth = jsonMaxDepth;
    this.accessLog = accessLog;
  }

  public static Pipeline create(Authenticator authenticator, TenantSources sources, TenantRegistry registry,
                                RateLimiting rateLimiting, Draining draining, long bodyLimit, int jsonMaxDepth,
                                boolean accessLog, int unknownTenantsPerMinute, io.tenantry.metering.Metering metering,
                                io.tenantry.relocation.WriteGates writeGates) {
    FailedResolutions failures = new FailedResolutions(unknownTenantsPerMinute, FailedResolutions.WINDOW_MS,
      System::currentTimeMillis);
    Gate gate = new Gate(authenticator, new TenantNaming(sources), new TenantAccess(registry, failures),
      rateLimiting.limits(), rateLimiting.limiter(), metering, writeGates);
    return new Pipeline(gate, draining, bodyLimit, jsonMaxDepth, accessLog);
  }

  /**
   * Installs the root handlers on a router being built (one router per event loop).
   *
   * @param observers what sees every request once when it enters, before anything else, and once when it ends
   *                  (the access log, when on, is the last of them)
   * @param last      the entry's last step, which calls {@code ctx.next()} unless it answers the request itself
   */
  public void install(Vertx vertx, RouterBuilder builder, List<RequestObserver> observers, Handler<RoutingContext> last) {
    List<RequestObserver> all = new ArrayList<>(observers);
    if (accessLog) {
      all.add(AccessLog.OBSERVER);
    }
    RequestObserver[] seeing = all.toArray(RequestObserver[]::new);
    builder
      // Platform handlers first: vertx-web requires them before the gate (a security policy) and the body handler.
      .rootHandler((PlatformHandler) ctx -> entry(ctx, seeing, last))
      .rootHandler(gate)
      // a streamed file upload passes the body handlers paused, its body unread (io.tenantry.storage)
      .rootHandler(StreamedUploads.skipping(BodyHandler.create(false).setBodyLimit(bodyLimit)))
      .rootHandler(StreamedUploads.skipping(StrictJson.handler(vertx, jsonMaxDepth)));
  }

  /**
   * The headers are set after any reroute, which starts the response's headers afresh. While draining, every
   * response asks the client to close its connection, so no keep-alive connection is idle (and about to be reused
   * by the client) when the server stops and closes idle connections.
   */
  private void entry(RoutingContext ctx, RequestObserver[] observers, Handler<RoutingContext> last) {
    Observed.enter(ctx, observers);
    if (PathPrefix.rerouted(ctx) || StreamedUploads.rerouted(ctx)) {
      return;
    }
    if (draining.active()) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    RequestIds.of(ctx);
    last.handle(ctx);
  }
}
