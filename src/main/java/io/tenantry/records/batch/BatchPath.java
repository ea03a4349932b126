package io.tenantry.records.batch;

import io.tenantry.http.Problem;
import io.vertx.ext.web.RoutingContext;

/**
 * Keeps {@code records:batch} the only path of its shape. vertx-openapi turns the contract's
 * {@code /collections/{collection}/records:batch} into the vertx-web path {@code /collections/:collection/records:batch},
 * where {@code :batch} is read as a second path parameter: the route would also match {@code records:other} or
 * {@code recordsX}. This root handler answers those with 404, as the contract says.
 */
public final class BatchPath {
  private BatchPath() {
  }

  public static void guard(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (!path.endsWith("/records:batch") && recordsLike(path)) {
      ctx.fail(Problem.notFound("no such route: the records routes are .../records, .../records/{id} and .../records:batch"));
      return;
    }
    ctx.next();
  }

  /** {@code .../collections/{collection}/records<more>}: a last segment that starts with, but is not, {@code records}. */
  static boolean recordsLike(String path) {
    int last = path.lastIndexOf('/');
    if (!path.startsWith("records", last + 1) || path.length() - last - 1 <= "records".length()) {
      return false;
    }
    int collection = path.lastIndexOf('/', last - 1);
    return collection >= "/collections".length() && last - collection > 1
      && path.startsWith("/collections", collection - "/collections".length());
  }
}
