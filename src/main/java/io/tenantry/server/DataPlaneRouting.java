package io.tenantry.server;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.openapi.contract.Operation;

import java.util.List;

/**
 * Data-plane requests meet a router that holds only the data plane's routes. vertx-web tries a request against the
 * routes in order, and the contract lists templated paths sorted by name, so in the router of every route a record
 * read is first matched against each templated /admin/ path's regular expression — some sixty of them, a few
 * microseconds per request. The full router still has every route: a path that normalization could change (a dot
 * segment, a percent-encoding) and a /t/{slug}/ reroute go there, so each request is routed as before.
 */
final class DataPlaneRouting {
  private static final String DATA_PLANE = "/api/";
  /** Where vertx-web-openapi-router keeps a route's operation (RouterBuilderImpl, 5.0.7). */
  static final String OPERATION = "openApiOperation";

  private DataPlaneRouting() {
  }

  /** The contract paths the data-plane router keeps. */
  static boolean mounts(String openApiPath) {
    return openApiPath.startsWith(DATA_PLANE);
  }

  /**
   * A router built from the contract, without the routes of operations off the data plane. (The builder puts every
   * operation's route in the router, one without handlers answering 503, so they are removed, not left out.)
   */
  static Router only(Router router) {
    for (Route route : List.copyOf(router.getRoutes())) {
      if (route.getMetadata(OPERATION) instanceof Operation operation && !mounts(operation.getOpenAPIPath())) {
        route.remove();
      }
    }
    return router;
  }

  /**
   * Whether the request's raw path is a data-plane path whose normalized form is too: without '.' there is no dot
   * segment, and without '%' nothing decodes into one.
   */
  static boolean serves(String rawPath) {
    return rawPath != null && rawPath.startsWith(DATA_PLANE) && rawPath.indexOf('.') < 0 && rawPath.indexOf('%') < 0;
  }

  static Handler<HttpServerRequest> inFrontOf(Router dataPlane, Router all) {
    return request -> (serves(request.path()) ? dataPlane : all).handle(request);
  }
}
