package io.tenantry.export;

import io.tenantry.storage.S3Keys;
import io.tenantry.support.Await;
import io.tenantry.support.S3rver;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant whose files are on an S3 store (s3rver) leaves one installation in a bundle and arrives in another whose
 * store is the same bucket under another prefix: the files come back with their bytes (SHA-256) and metadata, one of
 * them large enough to have been a multipart upload and one empty, and the source tenant's objects are as they were;
 * and an archived tenant on S3 replaced by its bundle (purged, then imported) has its files back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ExportImportTest {
  private static final String BUCKET = "installations";
  private static final String SLUG = "s3-files";
  private static final String HERE = "s3-files-here";
  /** Above the 8 MiB part size, sent without Content-Length: a multipart upload of two parts. */
  private static final int LARGE = (8 << 20) + 123_457;
  private S3rver s3rver;
  private TestServer source;
  private TestServer target;
  private String sourceRoot;
  private String targetRoot;
  private final Map<String, byte[]> files = new LinkedHashMap<>();

  @BeforeAll
  void start() {
    s3rver = S3rver.start(BUCKET);
    source = TestServer.start(onS3("source"));
    target = TestServer.start(onS3("target"));
    sourceRoot = source.adminToken();
    targetRoot = target.adminToken();
    byte[] large = new byte[LARGE];
    new Random(23).nextBytes(large);
    files.put("notes/hello.txt", "hello from S3, é\n".getBytes(StandardCharsets.UTF_8));
    files.put("media/large.bin", large);
    files.put("empty.txt", new byte[0]);
  }

  /** Another installation's store: the same bucket, its own prefix; bundles of a few MiB are accepted whole. */
  private Map<String, String> onS3(String prefix) {
    Map<String, String> config = s3rver.storeSettings(BUCKET, prefix);
    config.put("http.body-limit", Integer.toString(64 << 20));
    config.put("db.connect-timeout-ms", "30000");
    return config;
  }

  @AfterAll
  void stop() {
    if (target != null) {
      target.close();
    }
    if (source != null) {
      source.close();
    }
    if (s3rver != null) {
      s3rver.close();
    }
  }

  @Test
  void filesOnS3TravelInABundleWithTheirBytesAndMetadataAndTheSourceKeepsItsOwn() throws Exception {
    UUID id = fill(source, sourceRoot, SLUG);
    String there = token(source, SLUG, SLUG);
    List<String> sourceKeys = keys("source", id);
    assertThat(sourceKeys).hasSize(files.size());
    JsonArray sourceListing = listing(source, there);

    byte[] bundle = Bundles.download(source, sourceRoot, Bundles.export(source, sourceRoot, SLUG, true));
    HttpResponse<Buffer> imported = Bundles.importBundle(target, targetRoot, bundle, "as=" + HERE);
    assertThat(imported.statusCode()).as(imported.bodyAsString()).isEqualTo(201);

    String here = token(target, SLUG, HERE);
    assertThat(listing(target, here)).as("metadata: paths, sizes, types, SHA-256, uploader, times")
      .isEqualTo(sourceListing);
    assertSameBytes(target, here);
    assertThat(keys("target", id)).as("the blobs under the importing installation's prefix, same names")
      .containsExactlyInAnyOrderElementsOf(sourceKeys.stream().map(k -> "target" + k.substring("source".length())).toList());

    assertThat(keys("source", id)).isEqualTo(sourceKeys);
    assertThat(listing(source, there)).isEqualTo(sourceListing);
    assertSameBytes(source, there);
  }

  @Test
  void anArchivedTenantOnS3IsPurgedAndReplacedByItsBundleWithItsFiles() throws Exception {
    String slug = "s3-replaced";
    UUID id = fill(target, targetRoot, slug);
    String before = token(target, slug, slug);
    JsonArray listing = listing(target, before);
    List<String> keys = keys("target", id);
    byte[] bundle = Bundles.download(target, targetRoot, Bundles.export(target, targetRoot, slug, true));
    HttpResponse<Buffer> later = Await.result(target.api.request(HttpMethod.PUT, "/api/v1/files/later.txt", before)
      .sendBuffer(Buffer.buffer("written after the export")), 30);
    assertThat(later.statusCode()).as(later.bodyAsString()).isEqualTo(201);
    assertThat(keys("target", id)).hasSize(keys.size() + 1);
    HttpResponse<Buffer> archived = target.api.post("/admin/v1/tenants/" + slug + "/archive", targetRoot, new JsonObject());
    assertThat(archived.statusCode()).as(archived.bodyAsString()).isEqualTo(200);

    HttpResponse<Buffer> replaced = Bundles.importBundle(target, targetRoot, bundle, "replace_archived=true");
    assertThat(replaced.statusCode()).as(replaced.bodyAsString()).isEqualTo(201);
    String after = token(target, slug, slug);
    assertThat(listing(target, after)).isEqualTo(listing);
    assertSameBytes(target, after);
    assertThat(keys("target", id)).as("the purge removed the later file's object").containsExactlyInAnyOrderElementsOf(keys);
  }

  /** A schema-tier tenant with an admin and {@link #files}, on the server's S3 store; its id. */
  private UUID fill(TestServer ts, String root, String slug) throws Exception {
    HttpResponse<Buffer> created = ts.api.post("/admin/v1/tenants", root,
      new JsonObject().put("slug", slug).put("name", "Files on S3").put("isolation", "schema"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    ts.addUser(root, slug, "admin@" + slug + ".test", "tenant_admin");
    String token = token(ts, slug, slug);
    upload(ts, token, "notes/hello.txt", "text/plain; charset=utf-8", false);
    upload(ts, token, "media/large.bin", "video/mp4", true);
    upload(ts, token, "empty.txt", "text/plain", false);
    return UUID.fromString(created.bodyAsJsonObject().getString("id"));
  }

  /** The admin of the tenant made as {@code slug}, signed in to the tenant {@code as}. */
  private static String token(TestServer ts, String slug, String as) {
    return ts.api.token("admin@" + slug + ".test", "password-of-admin@" + slug + ".test", as);
  }

  private void upload(TestServer ts, String token, String path, String type, boolean chunked) throws Exception {
    byte[] bytes = files.get(path);
    HttpResponse<Buffer> r;
    if (chunked) {
      // an AsyncFile sent without Content-Length goes chunked: on S3 a multipart upload
      Path file = Files.createTempFile("tenantry-s3-export-", ".bin");
      Files.write(file, bytes);
      AsyncFile body = Await.result(ts.vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true)), 10);
      r = Await.result(ts.api.request(HttpMethod.PUT, "/api/v1/files/" + path, token)
        .putHeader("Content-Type", type).sendStream(body), 120);
      Files.delete(file);
    } else {
      r = Await.result(ts.api.request(HttpMethod.PUT, "/api/v1/files/" + path, token)
        .putHeader("Content-Type", type).sendBuffer(Buffer.buffer(bytes)), 30);
    }
    assertThat(r.statusCode()).as(path + ": " + r.bodyAsString()).isEqualTo(201);
    assertThat(r.bodyAsJsonObject().getString("sha256")).isEqualTo(sha256(bytes));
  }

  private void assertSameBytes(TestServer ts, String token) throws Exception {
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      HttpResponse<Buffer> got = Await.result(ts.api.request(HttpMethod.GET, "/api/v1/files/" + file.getKey(), token)
        .send(), 120);
      assertThat(got.statusCode()).as(file.getKey() + ": " + got.bodyAsString()).isEqualTo(200);
      byte[] bytes = got.body() == null ? new byte[0] : got.body().getBytes(); // an empty body is no body
      assertThat(sha256(bytes)).as(file.getKey()).isEqualTo(sha256(file.getValue()));
    }
  }

  private static JsonArray listing(TestServer ts, String token) {
    HttpResponse<Buffer> r = ts.api.get("/api/v1/files?limit=100", token);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonArray items = r.bodyAsJsonObject().getJsonArray("items");
    assertThat(items).hasSize(3);
    return items;
  }

  private List<String> keys(String prefix, UUID tenant) {
    return S3Keys.of(source.vertx, s3rver.endpoint(), BUCKET, S3rver.KEY, prefix, tenant);
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(Sha256.digest().digest(bytes));
  }
}
