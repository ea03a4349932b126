package io.tenantry.storage;

import io.tenantry.config.Config;
import io.tenantry.support.Await;
import io.tenantry.support.S3rver;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FileStorageSuite} on the S3 backend against a real S3-compatible server (s3rver), and the per-tenant choice
 * of store: a regulated tenant on a bucket of its own (storage.stores + the storage.store setting).
 */
class S3FileStorageTest extends FileStorageSuite {
  private static final String BUCKET = "tenantry-files";
  private static final String REGULATED = "regulated-files";
  private S3rver s3rver;
  private S3BlobStore bucket;
  private S3BlobStore regulated;

  @Override
  Map<String, String> backend() {
    s3rver = S3rver.start(BUCKET, REGULATED);
    Map<String, String> config = s3rver.storeSettings(BUCKET, "t");
    config.put("storage.stores", new JsonArray().add(new JsonObject().put("name", "regulated")
      .put("endpoint", s3rver.endpoint()).put("bucket", REGULATED).put("access-key", S3rver.KEY)
      .put("secret-key", S3rver.KEY).put("prefix", "").put("tenants", new JsonArray().add("fr-regulated"))).encode());
    return config;
  }

  /** The test's own view of the buckets, through the backend's client (made once the server's Vert.x exists). */
  private S3BlobStore bucket() {
    if (bucket == null) {
      bucket = new S3BlobStore(ts.vertx, new Config.S3Settings(s3rver.endpoint(), "us-east-1", BUCKET, S3rver.KEY,
        S3rver.KEY, true, "t"));
      regulated = new S3BlobStore(ts.vertx, new Config.S3Settings(s3rver.endpoint(), "us-east-1", REGULATED, S3rver.KEY,
        S3rver.KEY, true, ""));
    }
    return bucket;
  }

  private static List<String> keys(S3BlobStore store, String tenantId) {
    return Await.result(store.keys(UUID.fromString(tenantId)), 30);
  }

  @Override
  void stopBackend() {
    // the test's own clients went with the server's Vert.x
    if (s3rver != null) {
      s3rver.close();
    }
  }

  @Override
  long blobCount(String tenantId) {
    return keys(bucket(), tenantId).size();
  }

  @Override
  void plantBlob(String tenantId, String blob, String content) {
    S3Client client = new S3Client(ts.vertx, new Config.S3Settings(s3rver.endpoint(), "us-east-1", BUCKET, S3rver.KEY,
      S3rver.KEY, true, "t"));
    Await.result(client.call(HttpMethod.PUT, "t/" + tenantId + "/" + blob, Map.of(), Map.of(), Buffer.buffer(content))
      .eventually(client::close), 30);
  }

  @Override
  boolean blobExists(String tenantId, String blob) {
    return keys(bucket(), tenantId).contains("t/" + tenantId + "/" + blob);
  }

  @Override
  long temporaries(String tenantId) {
    return 0; // a reset PUT or an aborted multipart upload leaves no object: blobCount covers it
  }

  @Test
  void keysAreTheTenantsIdAndTheServersBlobNameNeverTheUsersPath() {
    String tier = "schema";
    String a = tokens.get(tier)[0];
    assertThat(put("dir/..%2Fuser-chosen%20name.txt", a, Buffer.buffer("x"), Map.of()).statusCode()).isIn(400, 404);
    assertThat(put("dir/user-chosen%20name.txt", a, Buffer.buffer("x"), Map.of()).statusCode()).isEqualTo(201);
    List<String> keys = keys(bucket(), ids.get(tier)[0]);
    assertThat(keys).isNotEmpty().allSatisfy(key -> assertThat(key).matches("t/" + ids.get(tier)[0] + "/[0-9a-f]{32}"));
  }

  @Test
  void aRegulatedTenantWritesToItsOwnBucketAndKeepsReadingWhatCameBefore() {
    String slug = "fr-regulated";
    String t = tenant(slug, "shared");
    String id = id(slug);
    assertThat(put("before.txt", t, Buffer.buffer("written before"), Map.of()).statusCode()).isEqualTo(201);
    bucket();
    assertThat(keys(bucket, id)).hasSize(1);

    HttpResponse<Buffer> set = ts.api.put("/admin/v1/tenants/" + slug + "/config/storage.store", root,
      new JsonObject().put("value", "regulated"), null);
    assertThat(set.statusCode()).as(set.bodyAsString()).isEqualTo(200);
    // the node that wrote the setting reads it at once (others within a second)
    assertThat(put("after.txt", t, Buffer.buffer("written after"), Map.of()).statusCode()).isEqualTo(201);
    assertThat(keys(regulated, id)).hasSize(1);
    assertThat(keys(bucket, id)).hasSize(1);
    assertThat(send(HttpMethod.GET, "/api/v1/files/before.txt", t).bodyAsString()).isEqualTo("written before");
    assertThat(send(HttpMethod.GET, "/api/v1/files/after.txt", t).bodyAsString()).isEqualTo("written after");

    // a copy of the older file is made where its source is; deletes find each file's store
    HttpResponse<Buffer> copy = ts.api.send(ts.api.request(HttpMethod.POST, "/api/v1/files/before.txt:copy", t),
      new JsonObject().put("to", "copy.txt"));
    assertThat(copy.statusCode()).as(copy.bodyAsString()).isEqualTo(201);
    assertThat(send(HttpMethod.GET, "/api/v1/files/copy.txt", t).bodyAsString()).isEqualTo("written before");
    assertThat(send(HttpMethod.DELETE, "/api/v1/files/before.txt", t).statusCode()).isEqualTo(204);
    assertThat(send(HttpMethod.DELETE, "/api/v1/files/after.txt", t).statusCode()).isEqualTo(204);
    eventually(() -> keys(regulated, id).isEmpty());
    assertThat(keys(bucket, id)).hasSize(1); // the copy

    // a store open to named tenants only refuses the others, and names the setting
    String other = tokens.get("shared")[0];
    HttpResponse<Buffer> denied = ts.api.put("/admin/v1/tenants/fa-shared/config/storage.store", root,
      new JsonObject().put("value", "regulated"), null);
    assertThat(denied.statusCode()).isEqualTo(200);
    HttpResponse<Buffer> refused = put("refused.txt", other, Buffer.buffer("no"), Map.of());
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.bodyAsJsonObject().getString("detail")).contains("storage.store");
    assertThat(ts.api.delete("/admin/v1/tenants/fa-shared/config/storage.store", root, null).statusCode()).isIn(200, 204);
    assertThat(put("accepted.txt", other, Buffer.buffer("yes"), Map.of()).statusCode()).isEqualTo(201);
  }

  /**
   * s3rver 3.7.1 lists no multipart uploads (501 NotImplemented) and aborts none (405): the sweep of uploads a crashed
   * node left is tested against a stand-in ({@link StaleUploadsTest}); here, against s3rver, that the sweep says so
   * and carries on. When s3rver learns ListMultipartUploads this test fails: test the sweep against it then.
   */
  @Test
  void s3rverCannotListMultipartUploadsAndTheSweepCarriesOn() {
    S3Client client = new S3Client(ts.vertx, new Config.S3Settings(s3rver.endpoint(), "us-east-1", BUCKET, S3rver.KEY,
      S3rver.KEY, true, "t"));
    try {
      String key = "t/" + ids.get("shared")[0] + "/" + Blobs.newName();
      String started = Await.result(client.call(HttpMethod.POST, key, Map.of("uploads", ""), Map.of(), null), 30)
        .body().toString();
      java.util.regex.Matcher id = java.util.regex.Pattern.compile("<UploadId>([^<]*)</UploadId>").matcher(started);
      assertThat(id.find()).as(started).isTrue();
      Await.result(client.call(HttpMethod.PUT, key, Map.of("partNumber", "1", "uploadId", id.group(1)), Map.of(),
        Buffer.buffer("a part left behind")), 30);

      Throwable listing = failureOf(client.call(HttpMethod.GET, null, Map.of("uploads", "", "prefix", "t/"), Map.of(), null));
      assertThat(listing).isInstanceOf(S3Client.S3Failure.class);
      assertThat(((S3Client.S3Failure) listing).status).isEqualTo(501);
      Throwable abort = failureOf(client.call(HttpMethod.DELETE, key, Map.of("uploadId", id.group(1)), Map.of(), null));
      assertThat(((S3Client.S3Failure) abort).status).isEqualTo(405);

      // logged, not thrown (the server's own sweeper met the same refusal on its first pass)
      assertThat(Await.result(bucket().abortUploadsInitiatedBefore(java.time.Instant.now().plusSeconds(1)), 30)).isZero();
    } finally {
      Await.result(client.close(), 10);
    }
  }

  private static Throwable failureOf(io.vertx.core.Future<?> future) {
    return Await.result(future.map(ok -> (Throwable) null).otherwise(e -> e), 30);
  }
}
