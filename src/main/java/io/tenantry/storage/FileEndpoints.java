package io.tenantry.storage;

import io.tenantry.audit.AuditActor;
import io.tenantry.audit.AuditHooks;
import io.tenantry.audit.AuditSealer;
import io.tenantry.data.TenantDb;
import io.tenantry.http.Paging;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * /api/v1/files: a tenant's files. Uploads stream from the request into the blob store (never buffered: the body
 * handler skips them, {@link StreamedUploads}) under a quota reservation; the metadata is committed only once the
 * bytes are durable, so a file is visible complete or not at all. Downloads stream from the store with
 * back-pressure. Every path is checked by {@link FilePath}; every blob and row is keyed by the tenant's id.
 */
public final class FileEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(FileEndpoints.class);
  static final String COPY_SUFFIX = ":copy";

  private final TenantDb db;
  private final FileStore files;
  private final Quotas quotas;
  private final TenantStores blobs;
  private final AuditSealer sealer;

  FileEndpoints(TenantDb db, FileStore files, Quotas quotas, TenantStores blobs, AuditSealer sealer) {
    this.db = db;
    this.files = files;
    this.quotas = quotas;
    this.blobs = blobs;
    this.sealer = sealer;
  }

  /** PUT /api/v1/files/{path}: the request arrives paused, its body unread. */
  public void put(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Tenant tenant = Tenant.of(ctx);
    FilePath path;
    Preconditions preconditions;
    long length;
    String contentType;
    String expectedSha;
    String expectedMd5;
    try {
      path = FilePath.parse(ctx.pathParam("path"));
      preconditions = Preconditions.of(request.getHeader(HttpHeaders.IF_MATCH), request.getHeader(HttpHeaders.IF_NONE_MATCH));
      length = contentLength(request);
      contentType = contentType(request);
      expectedSha = expectedSha256(request);
      expectedMd5 = Md5Checked.expected(request.getHeader("Content-MD5"));
    } catch (Problem p) {
      refuseUnread(ctx, p);
      return;
    }
    Md5Checked md5 = expectedMd5 == null ? null : new Md5Checked(request);
    String blob = Blobs.newName();
    AuditActor actor = AuditActor.of(ctx);
    db.autocommit(tenant, conn -> files.get(conn, tenant, path.value()))
      .map(current -> {
        preconditions.check(current);
        return current;
      })
      .compose(current -> quotas.reserve(tenant, blob, length, current.isPresent() ? 0 : 1))
      .onFailure(e -> refuseUnread(ctx, e))
      .onSuccess(reservation -> continued(ctx))
      .onSuccess(reservation -> blobs.write(tenant, blob, md5 == null ? (io.vertx.core.streams.ReadStream<io.vertx.core.buffer.Buffer>) request : md5, length, reservation.maxBytes())
        .compose(written -> {
          if (expectedSha != null && !expectedSha.equals(written.sha256())) {
            throw Problem.badRequest("the body's SHA-256 is not the one given in x-checksum-sha256");
          }
          if (md5 != null && !expectedMd5.equals(md5.base64())) {
            throw Problem.badRequest("the body's MD5 is not the one given in Content-MD5");
          }
          FileMeta file = new FileMeta(path.value(), blob, written.size(), contentType, written.sha256(), actor.user(), null, null);
          return commit(tenant, file, preconditions, actor);
        })
        .compose(stored -> quotas.release(tenant, reservation.id()).map(stored))
        .onSuccess(stored -> {
          stored.previous().ifPresent(old -> discard(tenant, old.blob()));
          AuditHooks.storedWithWrite(ctx);
          ctx.response().putHeader(HttpHeaders.ETAG, stored.file().etag());
          Responses.json(ctx, stored.previous().isPresent() ? 200 : 201, stored.file().toJson());
        })
        .onFailure(e -> blobs.delete(tenant.id(), blob).otherwiseEmpty()
          .compose(v -> quotas.release(tenant, reservation.id()))
          .onComplete(v -> failUpload(ctx, e))));
  }

  /** A client that waits for "100 Continue" (curl -T does) is told to send its body once the upload is accepted. */
  private static void continued(RoutingContext ctx) {
    if ("100-continue".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.EXPECT)) && !ctx.response().headWritten()) {
      ctx.response().writeContinue();
    }
  }

  /** The metadata, under the row lock, with the preconditions checked again: what a concurrent writer did counts. */
  private Future<Stored> commit(Tenant tenant, FileMeta file, Preconditions preconditions, AuditActor actor) {
    sealer.touched(tenant.id());
    return db.withTenant(tenant, conn -> files.lock(conn, tenant, file.path()).compose(current -> {
      preconditions.check(current);
      return files.put(conn, tenant, file, !preconditions.ifNoneMatchAny(), actor).map(stored -> new Stored(
        stored.orElseThrow(() -> Problem.preconditionFailed("the file exists (If-None-Match: *)")), current));
    }));
  }

  private record Stored(FileMeta file, Optional<FileMeta> previous) {
  }

  /** GET and HEAD /api/v1/files/{path}. */
  public void get(RoutingContext ctx) {
    Tenant tenant = Tenant.of(ctx);
    FilePath path = FilePath.parse(ctx.pathParam("path"));
    Responses.when(ctx, db.autocommit(tenant, conn -> files.get(conn, tenant, path.value()))
      .map(found -> found.orElseThrow(FileEndpoints::notFound)), file -> send(ctx, tenant, file));
  }

  private void send(RoutingContext ctx, Tenant tenant, FileMeta file) {
    HttpServerResponse response = ctx.response();
    response.putHeader(HttpHeaders.ETAG, file.etag())
      .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes")
      .putHeader(HttpHeaders.LAST_MODIFIED, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
        .format(file.updatedAt().atZoneSameInstant(java.time.ZoneOffset.UTC)));
    String ifNoneMatch = ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH);
    if (ifNoneMatch != null && Preconditions.matches(ifNoneMatch, file.etag())) {
      response.setStatusCode(304).end();
      return;
    }
    ByteRange range = ByteRange.parse(ctx.request().getHeader("Range"), file.size());
    long start = range == null ? 0 : range.start();
    long length = range == null ? file.size() : range.length();
    if (range != null) {
      response.setStatusCode(206).putHeader(HttpHeaders.CONTENT_RANGE, range.contentRange(file.size()));
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, file.contentType())
      .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length))
      .putHeader("X-Content-Type-Options", "nosniff");
    if (ctx.request().method() == HttpMethod.HEAD || length == 0) {
      response.end();
      return;
    }
    blobs.send(tenant, file.blob(), start, length, response).onFailure(e -> {
      if (!response.headWritten()) {
        response.headers().remove(HttpHeaders.CONTENT_LENGTH);
        ctx.fail(e);
      } else {
        LOG.atWarn().addKeyValue("tenantId", tenant.id()).log("file download cut short: " + e.getMessage());
        response.reset();
      }
    });
  }

  /** DELETE /api/v1/files/{path}. */
  public void delete(RoutingContext ctx) {
    Tenant tenant = Tenant.of(ctx);
    FilePath path = FilePath.parse(ctx.pathParam("path"));
    String ifMatch = ctx.request().getHeader(HttpHeaders.IF_MATCH);
    AuditActor actor = AuditActor.of(ctx);
    Future<FileMeta> deleted = db.autocommit(tenant, conn -> files.get(conn, tenant, path.value()))
      .map(found -> {
        FileMeta file = found.orElseThrow(FileEndpoints::notFound);
        if (ifMatch != null && !Preconditions.matches(ifMatch, file.etag())) {
          throw Problem.preconditionFailed("the file's ETag is not the one given in If-Match");
        }
        return file;
      })
      // the blob is doomed first: if the removal stops half-way, the sweeper finishes it
      .compose(file -> quotas.doomed(tenant.id(), file.blob()).compose(doomed -> {
        sealer.touched(tenant.id());
        return db.autocommit(tenant, conn -> files.delete(conn, tenant, path.value(), file.blob(), actor))
          .map(gone -> gone.orElseThrow(() -> Problem.conflict("the file changed meanwhile; try again")))
          .compose(gone -> blobs.delete(tenant.id(), gone.blob()).compose(v -> quotas.release(tenant, doomed)).map(gone));
      }));
    Responses.when(ctx, deleted, gone -> {
      AuditHooks.storedWithWrite(ctx);
      Responses.noContent(ctx);
    });
  }

  /** POST /api/v1/files/{path}:copy with {"to": "other/path"}: a new file with the same bytes (a new blob). */
  public void copy(RoutingContext ctx) {
    Tenant tenant = Tenant.of(ctx);
    String raw = ctx.pathParam("path");
    if (raw == null || !raw.endsWith(COPY_SUFFIX)) {
      throw Problem.notFound("POST is for /api/v1/files/{path}:copy only");
    }
    FilePath from = FilePath.parse(raw.substring(0, raw.length() - COPY_SUFFIX.length()));
    JsonObject body = ctx.body() == null ? null : ctx.body().asJsonObject();
    if (body == null || !(body.getValue("to") instanceof String)) {
      throw Problem.badRequest("the body must be {\"to\": \"<path>\"}");
    }
    FilePath to = FilePath.parse(body.getString("to"));
    Preconditions preconditions = Preconditions.of(ctx.request().getHeader(HttpHeaders.IF_MATCH),
      ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH));
    String blob = Blobs.newName();
    AuditActor actor = AuditActor.of(ctx);
    Future<FileMeta> source = db.autocommit(tenant, conn -> files.get(conn, tenant, from.value()))
      .map(found -> found.orElseThrow(FileEndpoints::notFound));
    Future<Optional<FileMeta>> target = db.autocommit(tenant, conn -> files.get(conn, tenant, to.value()));
    Future<Stored> copied = Future.all(source, target).compose(both -> {
      preconditions.check(target.result());
      FileMeta src = source.result();
      return quotas.reserve(tenant, blob, src.size(), target.result().isPresent() ? 0 : 1)
        .compose(reservation -> blobs.copy(tenant, src.blob(), blob)
          .compose(v -> commit(tenant, new FileMeta(to.value(), blob, src.size(), src.contentType(), src.sha256(),
            actor.user(), null, null), preconditions, actor))
          .compose(stored -> quotas.release(tenant, reservation.id()).map(stored))
          .recover(e -> blobs.delete(tenant.id(), blob).otherwiseEmpty()
            .compose(v -> quotas.release(tenant, reservation.id())).transform(v -> Future.failedFuture(e))));
    });
    Responses.when(ctx, copied, stored -> {
      stored.previous().ifPresent(old -> discard(tenant, old.blob()));
      AuditHooks.storedWithWrite(ctx);
      ctx.response().putHeader(HttpHeaders.ETAG, stored.file().etag());
      Responses.json(ctx, stored.previous().isPresent() ? 200 : 201, stored.file().toJson());
    });
  }

  /** GET /api/v1/files?prefix=&cursor=&limit=: paths in order, a page at a time. */
  public void list(RoutingContext ctx) {
    Tenant tenant = Tenant.of(ctx);
    String prefix = FilePath.prefix(ctx.request().getParam("prefix"));
    int limit = Paging.limit(ctx);
    String after = cursor(ctx.request().getParam("cursor"));
    Responses.when(ctx, db.autocommit(tenant, conn -> files.list(conn, tenant, prefix, after, limit + 1)), found -> {
      List<FileMeta> page = found.size() > limit ? found.subList(0, limit) : found;
      JsonArray items = new JsonArray();
      page.forEach(f -> items.add(f.toJson()));
      String next = found.size() > limit ? Base64.getUrlEncoder().withoutPadding()
        .encodeToString(page.get(page.size() - 1).path().getBytes(StandardCharsets.UTF_8)) : null;
      Responses.json(ctx, 200, new JsonObject().put("items", items).put("next_cursor", next));
    });
  }

  /**
   * GET /api/v1/files:usage. vertx-web reads the ':usage' of the contract's path as a path parameter, so the route
   * also matches /api/v1/files&lt;anything&gt;: only the literal path is this operation.
   */
  public void usage(RoutingContext ctx) {
    if (!"/api/v1/files:usage".equals(ctx.normalizedPath())) {
      throw Problem.notFound("no such route");
    }
    Responses.when(ctx, quotas.usage(Tenant.of(ctx)), usage -> Responses.json(ctx, 200, usage));
  }

  /** A replaced file's old blob: doomed (the sweeper's if this stops half-way), removed, forgotten. */
  private void discard(Tenant tenant, String blob) {
    quotas.doomed(tenant.id(), blob)
      .compose(doomed -> blobs.delete(tenant.id(), blob).compose(v -> quotas.release(tenant, doomed)))
      .onFailure(e -> LOG.atWarn().addKeyValue("tenantId", tenant.id()).log("old blob left to the sweeper: " + e.getMessage()));
  }

  private static String cursor(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("cursor must be a next_cursor of an earlier page");
    }
  }

  private static long contentLength(HttpServerRequest request) {
    String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (value == null) {
      return -1;
    }
    try {
      long length = Long.parseLong(value.strip());
      if (length >= 0) {
        return length;
      }
    } catch (NumberFormatException ignored) {
      // the problem below
    }
    throw Problem.badRequest("Content-Length must be a whole number of bytes");
  }

  private static String contentType(HttpServerRequest request) {
    String value = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (value == null || value.isBlank()) {
      return "application/octet-stream";
    }
    if (value.length() > 255 || !value.matches("[\\x21-\\x7e]+(\\s*;\\s*[\\x21-\\x7e]+)*")) {
      throw Problem.badRequest("Content-Type must be a media type of at most 255 printable ASCII characters");
    }
    return value;
  }

  private static String expectedSha256(HttpServerRequest request) {
    String value = request.getHeader("x-checksum-sha256");
    if (value == null) {
      return null;
    }
    String v = value.strip().toLowerCase(java.util.Locale.ROOT);
    if (!v.matches("[0-9a-f]{64}")) {
      throw Problem.badRequest("x-checksum-sha256 must be 64 hexadecimal digits");
    }
    return v;
  }

  /**
   * Refused before any byte is read. A body still coming is not drained (it may be gigabytes): the connection is
   * closed after the answer.
   */
  private static void refuseUnread(RoutingContext ctx, Throwable cause) {
    HttpServerRequest request = ctx.request();
    if (!request.isEnded()) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      request.resume();
    }
    if (!ctx.failed() && !ctx.response().ended()) {
      ctx.fail(cause);
    }
  }

  /** An upload that failed part-way: its blob and reservation are gone; the client, if still there, is told. */
  private static void failUpload(RoutingContext ctx, Throwable cause) {
    Throwable failure = LocalBlobStore.unwrapped(cause);
    if (failure instanceof BlobTooLarge) {
      failure = Quotas.tooLarge("the upload went beyond a storage quota (the tenant's or its subtree's); nothing was kept");
    }
    if (ctx.response().closed() || ctx.response().ended()) {
      return; // the client went away mid-body: nothing to answer
    }
    refuseUnread(ctx, failure);
  }

  private static Problem notFound() {
    return Problem.notFound("no such file");
  }
}
