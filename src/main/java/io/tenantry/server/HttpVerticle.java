package io.tenantry.server;

import io.tenantry.auth.Access;
import io.tenantry.auth.Authenticator;
import io.tenantry.http.ProblemHandler;
import io.tenantry.http.RequestIds;
import io.tenantry.tenant.TenantResolution;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.ext.web.openapi.router.RequestExtractor;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One per event loop. Routes come from the OpenAPI document (which also validates requests), so a route the
 * document does not describe cannot exist. Order of the root handlers: path prefix, drain notice and request id
 * (one handler), access log, body (bounded), then authentication followed in the same handler by, for /api/,
 * tenant resolution and the tenant's rate limit — before validation and handlers, so a refused request costs next
 * to nothing. As many root handlers as the baseline's: each one is one more pass through the router per request.
 * Undeploying it shuts its server down gracefully: no new connections, in-flight requests get up to
 * shutdown.timeout-ms to finish, then whatever is left is closed.
 */
public final class HttpVerticle extends VerticleBase {
  private final Platform platform;
  private final Handler<RoutingContext> gate = this::dataPlaneGate;
  private HttpServer server;

  public HttpVerticle(Platform platform) {
    this.platform = platform;
  }

  @Override
  public Future<?> start() {
    platform.pool().claim(); // this loop's requests use connections of this loop only
    Router router = router();
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(platform.config().httpHost())
        .setPort(platform.config().httpPort())
        .setCompressionSupported(false)
        .setIdleTimeout(120))
      .requestHandler(router);
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    return server.shutdown(platform.config().shutdownTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  Router router() {
    RouterBuilder builder = RouterBuilder.create(vertx, platform.contract(), RequestExtractor.withBodyHandler());
    Authenticator authenticator = platform.authenticator();
    builder
      // Platform handlers: vertx-web requires them before the body handler.
      .rootHandler((PlatformHandler) this::entry)
      .rootHandler(platform.config().accessLog() ? (PlatformHandler) AccessLog::handle : (PlatformHandler) RoutingContext::next)
      .rootHandler(BodyHandler.create(false).setBodyLimit(platform.config().bodyLimit()))
      .rootHandler(ctx -> authenticator.handle(ctx, gate));

    on(builder, "getLive", ctx -> ctx.json(new JsonObject().put("status", "UP")));
    on(builder, "getReady", HealthCheckHandler.createWithHealthChecks(platform.readiness()));
    on(builder, "getOpenApi", ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(platform.openApiDocument()));
    on(builder, "issueToken", platform.tokens()::handle);

    var admin = platform.tenantAdmin();
    on(builder, "createTenant", Access::superAdmin, admin::create);
    on(builder, "listTenants", Access::superAdmin, admin::list);
    on(builder, "getTenant", admin::get);
    on(builder, "deleteTenant", Access::superAdmin, admin::delete);
    on(builder, "getPools", Access::superAdmin, platform.pools()::handle);
    on(builder, "addTenantUser", admin::addUser);
    on(builder, "suspendTenant", Access::superAdmin, admin::suspend);
    on(builder, "resumeTenant", Access::superAdmin, admin::resume);

    var limits = platform.rateLimiting();
    on(builder, "getTenantLimits", Access::superAdmin, limits.tenantLimits()::get);
    on(builder, "putTenantLimits", Access::superAdmin, limits.tenantLimits()::put);
    on(builder, "listPlans", Access::superAdmin, limits.plans()::list);
    on(builder, "putPlan", Access::superAdmin, limits.plans()::put);

    var records = platform.records();
    on(builder, "createRecord", Access::tenantWriter, records::create);
    on(builder, "listRecords", Access::tenantReader, records::list);
    on(builder, "getRecord", Access::tenantReader, records::get);
    on(builder, "replaceRecord", Access::tenantWriter, records::replace);
    on(builder, "patchRecord", Access::tenantWriter, records::patch)
      .setDoValidation(false); // takes application/merge-patch+json, which vertx-openapi cannot validate
    on(builder, "deleteRecord", Access::tenantWriter, records::delete);

    Router router = builder.createRouter();
    router.route().failureHandler(ProblemHandler::handle);
    router.errorHandler(404, ProblemHandler::handle);
    router.errorHandler(405, ProblemHandler::handle);
    return router;
  }

  /**
   * First /t/{slug}/api/... is rerouted to /api/... ({@link TenantResolution#reroutedPathPrefix}; the rerouted
   * request passes here again). While draining, every response asks the client to close its connection, so no
   * keep-alive connection is idle (and about to be reused by the client) when the server stops and closes idle
   * connections. Then the request gets its id ({@link RequestIds}). One root handler for the three; the headers are
   * set after any reroute, which starts the response's headers afresh.
   */
  private void entry(RoutingContext ctx) {
    if (TenantResolution.reroutedPathPrefix(ctx)) {
      return;
    }
    if (platform.draining().active()) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    RequestIds.handle(ctx);
  }

  /**
   * Data plane (/api/): resolves the tenant, then charges its rate limit — called by the authenticator in its own
   * router step, and the rate limit directly once the tenant is attached, rather than through more router steps.
   */
  private void dataPlaneGate(RoutingContext ctx) {
    if (ctx.request().path().startsWith("/api/")) {
      platform.tenantResolution().resolve(ctx, platform.rateLimiting().handler());
    } else {
      ctx.next();
    }
  }

  @SafeVarargs
  private static OpenAPIRoute on(RouterBuilder builder, String operationId, Handler<RoutingContext>... handlers) {
    OpenAPIRoute route = builder.getRoute(operationId);
    if (route == null) {
      throw new IllegalStateException("openapi.yaml has no operation " + operationId);
    }
    route.setDoSecurity(false); // authentication is the Authenticator's job, before validation
    ContractChecks.wire(route); // undeclared query parameters refused; validation failures explained
    List.of(handlers).forEach(route::addHandler);
    return route;
  }
}
