package io.tenantry.storage;

import io.tenantry.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for S3's multipart-upload API, for the sweep of stale uploads: s3rver 3.7.1 (the real server of the S3
 * tests) answers ListMultipartUploads with 501 NotImplemented and AbortMultipartUpload with 405. It answers as the S3
 * API reference documents, path-style, one bucket: initiate ({@code POST /bucket/key?uploads}), upload a part, list
 * ({@code GET /bucket/?uploads}, prefix, key-marker and upload-id-marker, {@link #maxUploads} a page, ordered by key
 * then initiation) and abort ({@code DELETE /bucket/key?uploadId=}, 204; 404 NoSuchUpload). Every request must carry
 * a SigV4 Authorization header. Anything else is 501, as s3rver answers what it lacks.
 */
final class S3UploadsStandIn implements AutoCloseable {
  record Upload(String key, String uploadId, Instant initiated) {
  }

  private static final Comparator<Upload> LISTING_ORDER =
    Comparator.comparing(Upload::key).thenComparing(Upload::initiated).thenComparing(Upload::uploadId);

  final String bucket;
  private final HttpServer server;
  private final List<Upload> uploads = new CopyOnWriteArrayList<>();
  /** Every upload ever initiated, aborted ones too: a listing's markers may name one aborted since. */
  private final java.util.Map<String, Upload> everLeft = new ConcurrentHashMap<>();
  /** Each ListMultipartUploads request's query, in order. */
  final List<JsonObject> listings = new CopyOnWriteArrayList<>();
  final List<String> aborted = new CopyOnWriteArrayList<>();
  /** Upload ids whose abort answers 500 InternalError. */
  final Set<String> failingAborts = ConcurrentHashMap.newKeySet();
  volatile int maxUploads = 1000;
  /** When set, every listing answers this status with an S3 error of this code. */
  volatile int listingStatus;
  volatile String listingCode = "";

  S3UploadsStandIn(Vertx vertx, String bucket) {
    this.bucket = bucket;
    this.server = Await.result(vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"), 10);
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** An upload as a node that died left it, initiated at {@code when}; its id. */
  String leave(String key, Instant when) {
    String id = UUID.randomUUID().toString();
    Upload upload = new Upload(key, id, when);
    everLeft.put(id, upload);
    uploads.add(upload);
    return id;
  }

  List<Upload> inProgress() {
    return uploads.stream().sorted(LISTING_ORDER).toList();
  }

  private void handle(HttpServerRequest req) {
    if (req.getHeader("Authorization") == null || !req.getHeader("Authorization").startsWith("AWS4-HMAC-SHA256 ")) {
      error(req, 403, "AccessDenied");
      return;
    }
    String path = URLDecoder.decode(req.path().replace("+", "%2B"), StandardCharsets.UTF_8);
    if (!path.startsWith("/" + bucket + "/")) {
      error(req, 404, "NoSuchBucket");
      return;
    }
    String key = path.substring(bucket.length() + 2);
    req.body().onSuccess(body -> {
      if (key.isEmpty() && req.method() == HttpMethod.GET && req.params().contains("uploads")) {
        list(req);
      } else if (!key.isEmpty() && req.method() == HttpMethod.POST && req.params().contains("uploads")) {
        String id = leave(key, Instant.now());
        xml(req, 200, "<InitiateMultipartUploadResult><Bucket>" + bucket + "</Bucket><Key>" + escape(key)
          + "</Key><UploadId>" + id + "</UploadId></InitiateMultipartUploadResult>");
      } else if (!key.isEmpty() && req.method() == HttpMethod.PUT && req.params().contains("uploadId")) {
        if (find(key, req.getParam("uploadId")) == null) {
          error(req, 404, "NoSuchUpload");
        } else {
          req.response().putHeader("ETag", "\"" + Integer.toHexString(body.hashCode()) + "\"").end();
        }
      } else if (!key.isEmpty() && req.method() == HttpMethod.DELETE && req.params().contains("uploadId")) {
        abort(req, key, req.getParam("uploadId"));
      } else {
        error(req, 501, "NotImplemented");
      }
    });
  }

  private void list(HttpServerRequest req) {
    JsonObject query = new JsonObject();
    req.params().forEach(query::put);
    listings.add(query);
    if (listingStatus != 0) {
      error(req, listingStatus, listingCode);
      return;
    }
    String prefix = req.params().get("prefix") == null ? "" : req.params().get("prefix");
    String keyMarker = req.params().get("key-marker") == null ? "" : req.params().get("key-marker");
    String idMarker = req.params().get("upload-id-marker") == null ? "" : req.params().get("upload-id-marker");
    List<Upload> all = inProgress().stream().filter(u -> u.key().startsWith(prefix)).toList();
    int start = 0;
    if (!keyMarker.isEmpty()) {
      // after the upload the markers name, in listing order, even if it has been aborted since (as S3 does);
      // an unknown upload id: after every upload of the marker's key
      Upload marker = everLeft.get(idMarker);
      start = all.size();
      for (int i = 0; i < all.size(); i++) {
        Upload upload = all.get(i);
        boolean after = marker != null && marker.key().equals(keyMarker)
          ? LISTING_ORDER.compare(upload, marker) > 0 : upload.key().compareTo(keyMarker) > 0;
        if (after) {
          start = i;
          break;
        }
      }
    }
    List<Upload> page = all.subList(start, Math.min(all.size(), start + maxUploads));
    boolean truncated = start + page.size() < all.size();
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListMultipartUploadsResult"
      + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>" + bucket + "</Bucket><KeyMarker>"
      + escape(keyMarker) + "</KeyMarker><UploadIdMarker>" + escape(idMarker) + "</UploadIdMarker>");
    if (truncated) {
      Upload last = page.get(page.size() - 1);
      xml.append("<NextKeyMarker>").append(escape(last.key())).append("</NextKeyMarker><NextUploadIdMarker>")
        .append(last.uploadId()).append("</NextUploadIdMarker>");
    }
    xml.append("<Prefix>").append(escape(prefix)).append("</Prefix><MaxUploads>").append(maxUploads)
      .append("</MaxUploads><IsTruncated>").append(truncated).append("</IsTruncated>");
    for (Upload u : page) {
      xml.append("<Upload><Key>").append(escape(u.key())).append("</Key><UploadId>").append(u.uploadId())
        .append("</UploadId><Initiator><ID>stand-in</ID><DisplayName>stand-in</DisplayName></Initiator>")
        .append("<Owner><ID>stand-in</ID><DisplayName>stand-in</DisplayName></Owner><StorageClass>STANDARD")
        .append("</StorageClass><Initiated>").append(u.initiated()).append("</Initiated></Upload>");
    }
    xml(req, 200, xml.append("</ListMultipartUploadsResult>").toString());
  }

  private void abort(HttpServerRequest req, String key, String id) {
    if (failingAborts.contains(id)) {
      error(req, 500, "InternalError");
      return;
    }
    Upload upload = find(key, id);
    if (upload == null) {
      error(req, 404, "NoSuchUpload");
      return;
    }
    uploads.remove(upload);
    aborted.add(id);
    req.response().setStatusCode(204).end();
  }

  private Upload find(String key, String id) {
    return uploads.stream().filter(u -> u.key().equals(key) && u.uploadId().equals(id)).findFirst().orElse(null);
  }

  private static void error(HttpServerRequest req, int status, String code) {
    xml(req, status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + code
      + "</Message></Error>");
  }

  private static void xml(HttpServerRequest req, int status, String body) {
    req.response().setStatusCode(status).putHeader("Content-Type", "application/xml").end(body);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  @Override
  public void close() {
    Await.result(server.close(), 10);
  }
}
