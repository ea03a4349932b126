package io.tenantry.export;

import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;
import java.util.UUID;

/**
 * POST /admin/v1/tenants/{slug}/exports (start), GET .../exports/{exportId} (progress) and GET .../bundle (the tar,
 * with Range). Super-admins only (guarded by the route): a bundle holds every member's address and all the data.
 */
public final class ExportEndpoints {
  private static final String TAR = "application/x-tar";

  private final TenantStore tenants;
  private final Exports exports;

  public ExportEndpoints(TenantStore tenants, Exports exports) {
    this.tenants = tenants;
    this.exports = exports;
  }

  public void create(RoutingContext ctx) {
    JsonObject body = ctx.body().available() && ctx.body().length() > 0 ? ctx.body().asJsonObject() : new JsonObject();
    boolean hashes = Boolean.TRUE.equals(body.getValue("include_password_hashes"));
    Responses.when(ctx, tenant(ctx).compose(tenant -> exports.begin(tenant, hashes).map(job -> job.toJson(tenant.slug()))),
      job -> {
        ctx.response().putHeader("Location", "/admin/v1/tenants/" + job.getString("tenant") + "/exports/" + job.getString("id"));
        Responses.json(ctx, 202, job);
      });
  }

  public void get(RoutingContext ctx) {
    Responses.when(ctx, tenant(ctx).compose(tenant -> exports.job(tenant, exportId(ctx)).map(job -> job.toJson(tenant.slug()))),
      job -> Responses.json(ctx, 200, job));
  }

  public void bundle(RoutingContext ctx) {
    Responses.when(ctx, tenant(ctx).compose(tenant -> exports.job(tenant, exportId(ctx))), job -> {
      switch (job.state()) {
        case "running" -> throw Problem.conflict("export " + job.id() + " is still running; GET its progress and retry when done");
        case "failed" -> throw Problem.conflict("export " + job.id() + " failed: " + job.error());
        case "expired" -> throw Problem.of(410, "gone", "Gone", "the bundle of export " + job.id() + " expired; start a new export");
        default -> send(ctx, job);
      }
    });
  }

  private void send(RoutingContext ctx, ExportJob job) {
    Path file = exports.bundle(job.id());
    if (!file.toFile().isFile()) {
      throw Problem.conflict("the bundle of export " + job.id() + " is kept by node " + job.node() + "; download it there");
    }
    long size = job.bytes();
    ByteRange range;
    try {
      range = ByteRange.parse(ctx.request().getHeader("Range"), size);
    } catch (ByteRange.Unsatisfiable e) {
      throw Problem.of(416, "range-not-satisfiable", "Range not satisfiable",
        "the bundle has " + size + " bytes; ask for a range within bytes 0-" + (size - 1)).withHeader("Content-Range", "bytes */" + size);
    }
    var response = ctx.response()
      .putHeader("Content-Type", TAR)
      .putHeader("Accept-Ranges", "bytes")
      .putHeader("ETag", "\"" + job.sha256() + "\"")
      .putHeader("Content-Disposition", "attachment; filename=\"" + job.id() + ".tar\"");
    if (range == null) {
      response.setStatusCode(200).sendFile(file.toString()).onFailure(ctx::fail);
    } else {
      response.setStatusCode(206).putHeader("Content-Range", "bytes " + range.start() + "-" + range.end() + "/" + size)
        .sendFile(file.toString(), range.start(), range.length()).onFailure(ctx::fail);
    }
  }

  private static UUID exportId(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("exportId"));
    } catch (IllegalArgumentException e) {
      throw Problem.notFound("no export " + ctx.pathParam("exportId") + " of this tenant");
    }
  }

  private Future<Tenant> tenant(RoutingContext ctx) {
    String slug = ctx.pathParam("slug");
    if (slug == null || !Tenant.SLUG.matcher(slug).matches()) {
      return Future.failedFuture(Problem.notFound("unknown tenant"));
    }
    return tenants.bySlug(slug).map(found -> found.orElseThrow(() -> Problem.notFound("unknown tenant")));
  }
}
