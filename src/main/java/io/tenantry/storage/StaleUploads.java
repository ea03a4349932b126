package io.tenantry.storage;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The multipart uploads a node left in progress when it died: invisible in the bucket's listing of objects, but their
 * parts take space until aborted. One pass lists the store's uploads under its key prefix (ListMultipartUploads, page
 * by page with key-marker and upload-id-marker) and aborts each one initiated before the cutoff whose key is one this
 * server makes ({@code <prefix><tenant id>/<blob>}): the listing's word is checked, so an upload of another
 * application sharing the bucket is never touched. A pass never fails: what goes wrong is logged, and the next pass
 * tries again.
 */
final class StaleUploads {
  private static final Logger LOG = LoggerFactory.getLogger(StaleUploads.class);
  private static final String TENANT_ID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private final S3Client s3;
  private final String prefix;
  private final Pattern ours;
  private boolean unsupported;

  /** @param prefix the store's key prefix, ending in '/' (or empty: the whole bucket is the store's) */
  StaleUploads(S3Client s3, String prefix) {
    this.s3 = s3;
    this.prefix = prefix;
    this.ours = Pattern.compile(Pattern.quote(prefix) + TENANT_ID + "/" + Blobs.NAME.pattern());
  }

  /** Aborts the store's uploads initiated before {@code cutoff}; the number aborted. */
  Future<Integer> abortInitiatedBefore(Instant cutoff) {
    if (unsupported) {
      return Future.succeededFuture(0);
    }
    AtomicInteger aborted = new AtomicInteger();
    return page(cutoff, "", "", aborted).map(done -> aborted.get()).recover(e -> {
      if (e instanceof S3Client.S3Failure f && (f.status == 501 || "NotImplemented".equals(f.code))) {
        // asking every pass would only repeat the refusal: once is enough to say what to do instead
        unsupported = true;
        LOG.warn("the S3 store of bucket {} does not list multipart uploads ({}): uploads a crashed node left are"
          + " not aborted by this server; give the bucket a lifecycle rule AbortIncompleteMultipartUpload", s3.bucket(),
          e.getMessage());
      } else {
        LOG.warn("sweep of the multipart uploads left in bucket {} stopped: {}", s3.bucket(), e.getMessage());
      }
      return Future.succeededFuture(aborted.get());
    });
  }

  private Future<Void> page(Instant cutoff, String keyMarker, String uploadIdMarker, AtomicInteger aborted) {
    Map<String, String> query = new HashMap<>();
    query.put("uploads", "");
    if (!prefix.isEmpty()) {
      query.put("prefix", prefix);
    }
    if (!keyMarker.isEmpty()) {
      query.put("key-marker", keyMarker);
      query.put("upload-id-marker", uploadIdMarker);
    }
    return s3.call(HttpMethod.GET, null, query, Map.of(), null)
      .map(answer -> MultipartListing.parse(answer.body().toString()))
      .compose(page -> abortStale(page.uploads(), cutoff, aborted).compose(v -> {
        if (!page.truncated()) {
          return Future.succeededFuture();
        }
        if (page.nextKeyMarker().isEmpty()
          || page.nextKeyMarker().equals(keyMarker) && page.nextUploadIdMarker().equals(uploadIdMarker)) {
          // a truncated page that names no way on (or the same one) would have the sweep ask for it forever
          return Future.failedFuture(new IllegalStateException("a truncated listing gave no next marker"));
        }
        return page(cutoff, page.nextKeyMarker(), page.nextUploadIdMarker(), aborted);
      }));
  }

  private Future<Void> abortStale(List<MultipartListing.Upload> uploads, Instant cutoff, AtomicInteger aborted) {
    Future<Void> chain = Future.succeededFuture();
    for (MultipartListing.Upload upload : uploads) {
      // an upload without a date that parses is kept: its age is unknown
      if (upload.initiated() != null && upload.initiated().isBefore(cutoff) && ours.matcher(upload.key()).matches()) {
        chain = chain.compose(v -> abort(upload).map(done -> {
          if (done) {
            aborted.incrementAndGet();
          }
          return null;
        }));
      }
    }
    return chain;
  }

  private Future<Boolean> abort(MultipartListing.Upload upload) {
    return s3.call(HttpMethod.DELETE, upload.key(), Map.of("uploadId", upload.uploadId()), Map.of(), null)
      .map(true)
      .recover(e -> {
        if (!(e instanceof S3Client.S3Failure f && f.status == 404)) { // 404: another node aborted it first
          LOG.warn("multipart upload {} of {} in bucket {} not aborted: {}", upload.uploadId(), upload.key(), s3.bucket(),
            e.getMessage());
        }
        return Future.succeededFuture(false);
      });
  }
}
