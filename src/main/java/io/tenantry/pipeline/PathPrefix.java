package io.tenantry.pipeline;

import io.vertx.ext.web.RoutingContext;

/** The /t/{slug}/ path prefix, one of the ways a request names its tenant: /t/acme/api/... is served as /api/... */
final class PathPrefix {
  private static final String KEY = "pathTenantSlug";

  private PathPrefix() {
  }

  /**
   * Reroutes /t/{slug}/api/... to /api/... and remembers the slug: returns true (routing starts again, without the
   * response headers set so far), or false when the path has no such prefix. Reads the normalized path, as the
   * router does.
   */
  static boolean rerouted(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (path.startsWith("/t/") && ctx.get(KEY) == null) {
      int slash = path.indexOf('/', 3);
      if (slash > 3 && path.startsWith("/api/", slash)) {
        ctx.put(KEY, path.substring(3, slash));
        String query = ctx.request().query();
        ctx.reroute(path.substring(slash) + (query == null ? "" : "?" + query));
        return true;
      }
    }
    return false;
  }

  /** The slug of a rerouted request's prefix, or null. */
  static String slug(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
