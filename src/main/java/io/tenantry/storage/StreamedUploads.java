package io.tenantry.storage;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The one route whose body is never buffered: PUT /api/v1/files/{path} streams into the blob store. The pipeline's
 * body-reading root handlers are wrapped so that such a request passes them paused, its body unread, until the
 * upload handler pipes it (the gate — authentication, tenant, rate limit — has already run on its headers).
 * Requests whose path has more segments are first rerouted with the inner slashes percent-encoded, so that the
 * contract's single-segment {path} parameter carries the whole file path (see docs/storage.md).
 */
public final class StreamedUploads {
  static final String FILES = "/api/v1/files/";

  private StreamedUploads() {
  }

  public static boolean isStreamed(RoutingContext ctx) {
    return ctx.request().method() == HttpMethod.PUT && ctx.normalizedPath().startsWith(FILES);
  }

  /** {@code body} for every request but a streamed upload, which goes on paused. */
  public static Handler<RoutingContext> skipping(Handler<RoutingContext> body) {
    return ctx -> {
      if (isStreamed(ctx)) {
        ctx.request().pause();
        ctx.next();
      } else {
        body.handle(ctx);
      }
    };
  }

  /**
   * Reroutes /api/v1/files/a/b/c to /api/v1/files/a%2Fb%2Fc (the query kept); true when it did. Runs before the
   * gate, so the gate and rate limit see the request once.
   */
  public static boolean rerouted(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (!path.startsWith(FILES) || path.indexOf('/', FILES.length()) < 0) {
      return false;
    }
    String tail = path.substring(FILES.length()).replace("/", "%2F");
    String query = ctx.request().query();
    ctx.reroute(FILES + tail + (query == null ? "" : "?" + query));
    return true;
  }
}
