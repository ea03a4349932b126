package io.tenantry.load.baseline;

import io.tenantry.auth.Authenticator;
import io.tenantry.config.Config;
import io.tenantry.pool.LoopAffinePool;
import io.tenantry.pipeline.ProblemHandler;
import io.tenantry.http.RequestIds;
import io.tenantry.pipeline.AccessLog;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;

import java.util.List;
import java.util.Set;

/**
 * The baseline's HTTP verticle: the same server options, OpenAPI contract and validation, root handlers (request
 * id, access log, bounded body, JWT authentication) and problem handling as {@code HttpVerticle}, minus the
 * tenant machinery (path prefix, tenant resolution, tenant role checks). Only the records routes and liveness
 * have handlers.
 */
final class BaselineVerticle extends VerticleBase {
  private final Config config;
  private final OpenAPIContract contract;
  private final Authenticator authenticator;
  private final BaselineRecords records;
  private final LoopAffinePool pool;

  BaselineVerticle(Config config, OpenAPIContract contract, Authenticator authenticator, BaselineRecords records,
                   LoopAffinePool pool) {
    this.config = config;
    this.contract = contract;
    this.authenticator = authenticator;
    this.records = records;
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    pool.claim(); // as the multi-tenant server's HttpVerticle does
    return vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.httpHost())
        .setPort(config.httpPort())
        .setCompressionSupported(false)
        .setIdleTimeout(120))
      .requestHandler(router())
      .listen();
  }

  private Router router() {
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    builder
      .rootHandler((PlatformHandler) RequestIds::handle)
      .rootHandler(config.accessLog() ? (PlatformHandler) AccessLog::handle : (PlatformHandler) RoutingContext::next)
      .rootHandler(BodyHandler.create(false).setBodyLimit(config.bodyLimit()))
      .rootHandler(this::authenticate);

    on(builder, "getLive", ctx -> ctx.json(new JsonObject().put("status", "UP")));
    on(builder, "createRecord", BaselineRecords::writer, records::create);
    on(builder, "listRecords", BaselineRecords::reader, records::list);
    on(builder, "getRecord", BaselineRecords::reader, records::get);
    on(builder, "replaceRecord", BaselineRecords::writer, records::replace);
    for (String other : List.of("getReady", "getOpenApi", "issueToken", "createTenant", "listTenants", "getTenant",
      "deleteTenant", "getPools", "addTenantUser", "suspendTenant", "resumeTenant", "patchRecord", "deleteRecord")) {
      on(builder, other, ctx -> ctx.fail(404));
    }

    io.tenantry.server.OnLoopValidation.install(vertx, contract, builder, RequestExtractor.withBodyHandler(), Set.of());
    Router router = builder.createRouter();
    // Only its own routes, as a single-tenant server would have: the builder puts every operation of the shared
    // contract in the router, one without handlers answering 503, and vertx-web would match each request's path
    // against each of their patterns (the multi-tenant server's data plane has a router of its own routes too).
    for (Route route : List.copyOf(router.getRoutes())) {
      if (route.getMetadata("openApiOperation") instanceof Operation operation
        && builder.getRoute(operation.getOperationId()).getHandlers().isEmpty()) {
        route.remove();
      }
    }
    router.route().failureHandler(ProblemHandler::handle);
    router.errorHandler(404, ProblemHandler::handle);
    router.errorHandler(405, ProblemHandler::handle);
    return router;
  }

  /** A single-tenant server's authentication: verify the bearer token when there is one, attach the caller. */
  private void authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null) {
      ctx.next();
      return;
    }
    authenticator.authenticate(header)
      .onSuccess(caller -> {
        caller.attachTo(ctx);
        ctx.next();
      })
      .onFailure(ctx::fail);
  }

  @SafeVarargs
  private static OpenAPIRoute on(RouterBuilder builder, String operationId, Handler<RoutingContext>... handlers) {
    OpenAPIRoute route = builder.getRoute(operationId);
    if (route == null) {
      throw new IllegalStateException("openapi.yaml has no operation " + operationId);
    }
    route.setDoSecurity(false);
    List.of(handlers).forEach(route::addHandler);
    return route;
  }
}
