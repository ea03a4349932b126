package io.tenantry.storage;

import io.tenantry.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.Pipe;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blobs in a bucket of an S3-compatible store, under {@code <prefix>/<tenant id>/<blob>}: the tenant's UUID is a whole
 * key segment, and every listing of a tenant's keys ends its prefix with '/', so no tenant's prefix is a prefix of
 * another's. An upload of known length up to {@link S3Client#SIGNED_BODY_MAX} is gathered and sent as one signed PUT
 * that can be retried ({@link BufferedPut}); one up to 5 GiB is one PUT whose body streams from the client's request
 * (x-amz-content-sha256: UNSIGNED-PAYLOAD; SHA-256 computed on the way); an unknown or larger one is a multipart
 * upload ({@link MultipartWriter}). A blob becomes visible in the bucket only complete (S3 semantics), and a failed
 * upload is reset or aborted and its key deleted. Copies are server-side (x-amz-copy-source).
 */
final class S3BlobStore implements BlobStore {
  /** S3's limit for one PUT. */
  static final long SINGLE_PUT_MAX = 5L << 30;
  /** S3 allows 10,000 parts; parts of at least this size. */
  private static final int MIN_PART = 8 << 20;
  private static final Pattern KEY = Pattern.compile("<Key>([^<]*)</Key>");
  private static final Pattern NEXT = Pattern.compile("<NextContinuationToken>([^<]*)</NextContinuationToken>");
  private static final Pattern UPLOAD_ID = Pattern.compile("<UploadId>([^<]*)</UploadId>");

  private final S3Client s3;
  private final String prefix;
  private final StaleUploads staleUploads;

  S3BlobStore(Vertx vertx, Config.S3Settings settings) {
    this.s3 = new S3Client(vertx, settings);
    this.prefix = settings.prefix().isEmpty() ? "" : settings.prefix() + "/";
    this.staleUploads = new StaleUploads(s3, prefix);
  }

  String tenantPrefix(UUID tenant) {
    return prefix + tenant + "/";
  }

  private String key(UUID tenant, String blob) {
    return tenantPrefix(tenant) + Blobs.checked(blob);
  }

  @Override
  public Future<Written> write(UUID tenant, String blob, ReadStream<Buffer> body, long length, long maxBytes) {
    String key = key(tenant, blob);
    if (length > maxBytes) {
      return Future.failedFuture(new BlobTooLarge());
    }
    // streamed exchanges run on an event loop, whoever calls (an import's worker thread): S3Client.onContext
    Future<Written> written = s3.onContext(() -> length >= 0 && length <= S3Client.SIGNED_BODY_MAX
      ? buffered(key, body, (int) length, maxBytes)
      : length >= 0 && length <= SINGLE_PUT_MAX ? put(key, body, length, maxBytes)
      : multipart(key, body, length >= 0 ? length : maxBytes, maxBytes));
    // whatever failed, no key stays behind (a reset PUT stores nothing; the delete is for certainty)
    // the store's own refusal is its trouble (503); a broken connection may be the uploading client's going away
    return written.recover(failed -> s3.call(HttpMethod.DELETE, key, Map.of(), Map.of(), null).otherwiseEmpty()
      .compose(v -> Future.failedFuture(failed instanceof S3Client.S3Failure ? S3Client.forClient(failed)
        : LocalBlobStore.unwrapped(failed))));
  }

  private Future<Written> buffered(String key, ReadStream<Buffer> body, int length, long maxBytes) {
    DigestingWriter writer = new DigestingWriter(new BufferedPut(s3, key, length), maxBytes);
    return body.pipe().endOnFailure(false).to(writer).map(sent -> new Written(writer.size(), writer.sha256()));
  }

  private Future<Written> put(String key, ReadStream<Buffer> body, long length, long maxBytes) {
    return s3.request(HttpMethod.PUT, key, Map.of(), Map.of(), Map.of("Content-Length", Long.toString(length)),
        SigV4.UNSIGNED_PAYLOAD)
      .compose(req -> {
        DigestingWriter writer = new DigestingWriter(req, maxBytes);
        Pipe<Buffer> pipe = body.pipe().endOnFailure(false);
        return pipe.to(writer)
          .compose(sent -> req.response())
          .compose(resp -> resp.statusCode() == 200 ? resp.body().<Written>map(ok -> new Written(writer.size(), writer.sha256()))
            : S3Client.failed(HttpMethod.PUT, resp).map(x -> (Written) null))
          .onFailure(e -> req.reset());
      });
  }

  private Future<Written> multipart(String key, ReadStream<Buffer> body, long most, long maxBytes) {
    int partSize = (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(MIN_PART, most / 9_000 + 1));
    return s3.call(HttpMethod.POST, key, Map.of("uploads", ""), Map.of(), null).compose(started -> {
      Matcher m = UPLOAD_ID.matcher(started.body().toString());
      if (!m.find()) {
        return Future.failedFuture(new IllegalStateException("the S3 store started no multipart upload"));
      }
      String uploadId = unescape(m.group(1));
      DigestingWriter writer = new DigestingWriter(new MultipartWriter(s3, key, uploadId, partSize), maxBytes);
      return body.pipe().endOnFailure(false).to(writer)
        .map(done -> new Written(writer.size(), writer.sha256()))
        .recover(failed -> s3.call(HttpMethod.DELETE, key, Map.of("uploadId", uploadId), Map.of(), null).otherwiseEmpty()
          .compose(v -> Future.failedFuture(failed)));
    });
  }

  @Override
  public Future<Void> readInto(UUID tenant, String blob, long offset, long length, WriteStream<Buffer> to) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Range", "bytes=" + offset + "-" + (offset + length - 1));
    // asked again while the store fails before a byte of the blob came: nothing has reached the client yet
    return s3.onContext(() -> s3.attempt(1, () -> s3.request(HttpMethod.GET, key(tenant, blob), Map.of(), Map.of(),
          headers, SigV4.EMPTY_SHA256)
        .compose(HttpClientRequest::send)
        .compose(resp -> {
          if (resp.statusCode() == 404) {
            return resp.body().otherwiseEmpty().compose(x -> Future.failedFuture(new BlobMissing()));
          }
          if (resp.statusCode() != 200 && resp.statusCode() != 206) {
            return S3Client.failed(HttpMethod.GET, resp).map(x -> (HttpClientResponse) null);
          }
          return Future.succeededFuture(resp.pause()); // until the pipe takes it
        }))
      .recover(failed -> Future.failedFuture(S3Client.forClient(failed)))
      // a client gone mid-download leaves the store's answer unread: its connection is dropped, not pooled
      .compose(resp -> resp.pipeTo(to).onFailure(e -> resp.request().reset())));
  }

  @Override
  public Future<Void> copy(UUID tenant, String from, String to) {
    String source = "/" + s3.bucket() + "/" + SigV4.uriEncode(key(tenant, from), true);
    return s3.call(HttpMethod.PUT, key(tenant, to), Map.of(), Map.of("x-amz-copy-source", source), null)
      .<Void>mapEmpty()
      .recover(e -> Future.failedFuture(e instanceof S3Client.S3Failure f && f.status == 404 ? new BlobMissing()
        : S3Client.forClient(e)));
  }

  @Override
  public Future<Void> delete(UUID tenant, String blob) {
    return s3.call(HttpMethod.DELETE, key(tenant, blob), Map.of(), Map.of(), null)
      .<Void>mapEmpty()
      .recover(e -> e instanceof S3Client.S3Failure f && f.status == 404 ? Future.succeededFuture()
        : Future.failedFuture(S3Client.forClient(e)));
  }

  @Override
  public Future<Void> deleteTenant(UUID tenant) {
    return keys(tenant).compose(keys -> {
      Future<Void> chain = Future.succeededFuture();
      for (String key : keys) {
        chain = chain.compose(v -> s3.call(HttpMethod.DELETE, key, Map.of(), Map.of(), null).mapEmpty());
      }
      return chain;
    });
  }

  /** Every key under the tenant's prefix (ListObjectsV2, page by page). */
  Future<List<String>> keys(UUID tenant) {
    return page(tenantPrefix(tenant), null, new ArrayList<>());
  }

  private Future<List<String>> page(String keyPrefix, String token, List<String> into) {
    Map<String, String> query = new HashMap<>();
    query.put("list-type", "2");
    query.put("prefix", keyPrefix);
    if (token != null) {
      query.put("continuation-token", token);
    }
    return s3.call(HttpMethod.GET, null, query, Map.of(), null).compose(answer -> {
      String xml = answer.body().toString();
      Matcher keys = KEY.matcher(xml);
      while (keys.find()) {
        String key = unescape(keys.group(1));
        if (key.startsWith(keyPrefix)) { // the store's word is checked: never a key outside the tenant's prefix
          into.add(key);
        }
      }
      Matcher next = NEXT.matcher(xml);
      return xml.contains("<IsTruncated>true</IsTruncated>") && next.find()
        ? page(keyPrefix, unescape(next.group(1)), into) : Future.succeededFuture(into);
    });
  }

  /**
   * Aborts the multipart uploads under the store's prefix initiated before {@code cutoff} (a node that died mid-upload
   * left them); the number aborted. Never fails ({@link StaleUploads}).
   */
  Future<Integer> abortUploadsInitiatedBefore(java.time.Instant cutoff) {
    return staleUploads.abortInitiatedBefore(cutoff);
  }

  static String unescape(String xml) {
    return xml.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
  }

  Future<Void> close() {
    return s3.close();
  }
}
