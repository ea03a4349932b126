package io.tenantry.portal;

import io.tenantry.http.RequestIds;
import io.tenantry.http.Problem;
import io.tenantry.pipeline.ProblemHandler;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The admin portal (docs/portal.md): static files under /admin/ served from the jar's {@code portal/} folder. It is
 * a router of its own in front of the API router, not routes of the OpenAPI router: its files are not API operations,
 * and they are public (the portal signs in through POST /auth/token and sends the bearer token on each API call), so
 * the gate that authenticates everything else under /admin/ never sees them. Only GET and HEAD of existing files are
 * answered; nothing here reads a body or touches tenant data, so a request sent here by mistake can only get a 404.
 */
public final class Portal {
  public static final String ROOT = "/admin/";

  private Portal() {
  }

  /** The server's request handler: portal files to the portal, everything else to the API router. */
  public static Handler<HttpServerRequest> inFrontOf(Vertx vertx, Handler<HttpServerRequest> api) {
    Router portal = router(vertx);
    return request -> (serves(request.path()) ? portal : api).handle(request);
  }

  /**
   * Whether a raw request path is the portal's: /admin, /admin/ and /admin/... except the versioned API
   * (/admin/v1/...). Decided on the raw path: misrouting an odd path either way cannot skip authentication, since the
   * portal serves only public files and the API router authenticates whatever reaches it.
   */
  static boolean serves(String path) {
    if (path == null || !path.startsWith("/admin")) {
      return false;
    }
    if (path.equals("/admin") || path.equals(ROOT)) {
      return true;
    }
    return path.startsWith(ROOT) && !path.matches("/admin/+v[0-9]+(/.*)?");
  }

  static Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::handle).handler(PortalHeaders::handle);
    router.route("/admin").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(Portal::toRoot);
    router.route(ROOT + "*").method(HttpMethod.GET).method(HttpMethod.HEAD)
      .handler(StaticHandler.create("portal").setCachingEnabled(false).setDefaultContentEncoding("UTF-8"));
    router.route().handler(Portal::notFound);
    router.route().failureHandler(ProblemHandler::handle);
    return router;
  }

  /** /admin to /admin/, so the page's relative links resolve under /admin/ (the route also matches "/admin/"). */
  private static void toRoot(RoutingContext ctx) {
    if (ctx.request().path().equals("/admin")) {
      ctx.redirect(ROOT);
    } else {
      ctx.next();
    }
  }

  private static void notFound(RoutingContext ctx) {
    boolean read = ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD;
    ctx.fail(read ? Problem.notFound("the admin portal has no file " + ctx.normalizedPath())
      : Problem.of(405, "method-not-allowed", "Method not allowed", "the admin portal's files are read with GET or HEAD"));
  }
}
