package io.tenantry.records.batch;

import io.tenantry.http.Problem;
import io.vertx.ext.web.RoutingContext;

import java.util.regex.Pattern;

/**
 * Keeps {@code records:batch} the only path of its shape. vertx-openapi turns the contract's
 * {@code /collections/{collection}/records:batch} into the vertx-web path {@code /collections/:collection/records:batch},
 * where {@code :batch} is read as a second path parameter: the route would also match {@code records:other} or
 * {@code recordsX}. This root handler answers those with 404, as the contract says.
 */
public final class BatchPath {
  private static final Pattern SHAPE = Pattern.compile(".*/collections/[^/]+/records[^/]+");

  private BatchPath() {
  }

  public static void guard(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (!path.endsWith("/records:batch") && SHAPE.matcher(path).matches()) {
      ctx.fail(Problem.notFound("no such route: the records routes are .../records, .../records/{id} and .../records:batch"));
      return;
    }
    ctx.next();
  }
}
