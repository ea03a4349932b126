package io.tenantry.storage;

import io.tenantry.support.Await;
import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file API end to end, in every isolation tier, the same tests for each backend (a subclass per backend says
 * how to configure it and how to look at its blobs): streamed upload and download, ranges, conditional requests,
 * checksums, listing, copy, delete, quotas by reservation, interrupted uploads and the sweeper, and the attacks of
 * issue 16 (paths that try to escape, a tenant reaching another's files, purging one tenant beside another).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FileStorageSuite {
  static final List<String> TIERS = List.of("shared", "schema", "database");
  TestServer ts;
  String root;
  final Map<String, String[]> tokens = new java.util.HashMap<>(); // tier -> {A member, B member}
  final Map<String, String[]> ids = new java.util.HashMap<>();

  /** The backend's configuration keys (and any the subclass needs); started before the server. */
  abstract Map<String, String> backend();

  /** How many blobs the backend holds for the tenant. */
  abstract long blobCount(String tenantId);

  /** Puts a blob into the backend behind the server's back (what a crash mid-upload leaves). */
  abstract void plantBlob(String tenantId, String blob, String content);

  abstract boolean blobExists(String tenantId, String blob);

  /** Leftovers of unfinished uploads the backend keeps apart from blobs (local temporaries); 0 when none. */
  abstract long temporaries(String tenantId);

  @BeforeAll
  void start() {
    Map<String, String> config = new java.util.HashMap<>(Map.of("storage.sweep-interval-ms", "200",
      "storage.pending-ttl-seconds", "2", "db.connect-timeout-ms", "30000", "tenancy.delete-grace-seconds", "1"));
    config.putAll(backend());
    ts = TestServer.start(config);
    root = ts.adminToken();
    for (String tier : TIERS) {
      String a = "fa-" + tier;
      String b = "fb-" + tier;
      tokens.put(tier, new String[] {tenant(a, tier), tenant(b, tier)});
      ids.put(tier, new String[] {id(a), id(b)});
    }
  }

  @AfterAll
  void stop() {
    if (ts != null) {
      ts.close();
    }
    stopBackend();
  }

  void stopBackend() {
  }

  String tenant(String slug, String tier) {
    HttpResponse<Buffer> r = ts.api.post("/admin/v1/tenants", root, new JsonObject().put("slug", slug).put("name", slug).put("isolation", tier));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    ts.addUser(root, slug, "m@" + slug + ".test", "member");
    return ts.api.token("m@" + slug + ".test", "password-of-m@" + slug + ".test", slug);
  }

  String id(String slug) {
    return ts.api.get("/admin/v1/tenants/" + slug, root).bodyAsJsonObject().getString("id");
  }

  HttpResponse<Buffer> put(String path, String token, Buffer body, Map<String, String> headers) {
    HttpRequest<Buffer> req = ts.api.request(HttpMethod.PUT, "/api/v1/files/" + path, token);
    headers.forEach(req::putHeader);
    return Await.result(req.sendBuffer(body), 30);
  }

  HttpResponse<Buffer> send(HttpMethod method, String path, String token) {
    return ts.api.send(ts.api.request(method, path, token));
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void aFileRoundTripsInEveryTier() throws Exception {
    for (String tier : TIERS) {
      String a = tokens.get(tier)[0];
      JsonObject before = send(HttpMethod.GET, "/api/v1/files:usage", a).bodyAsJsonObject();
      long blobsBefore = blobCount(ids.get(tier)[0]);
      byte[] bytes = new byte[300_000];
      new java.util.Random(7).nextBytes(bytes);
      HttpResponse<Buffer> created = put("docs/report%20" + tier + ".bin", a, Buffer.buffer(bytes),
        Map.of("Content-Type", "application/pdf", "x-checksum-sha256", sha256(bytes)));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
      assertThat(created.bodyAsJsonObject().getLong("size")).isEqualTo(bytes.length);
      assertThat(created.getHeader("ETag")).isEqualTo("\"" + sha256(bytes) + "\"");

      HttpResponse<Buffer> got = send(HttpMethod.GET, "/api/v1/files/docs/report%20" + tier + ".bin", a);
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body().getBytes()).isEqualTo(bytes);
      assertThat(got.getHeader("Content-Type")).isEqualTo("application/pdf");

      HttpResponse<Buffer> range = ts.api.send(ts.api.request(HttpMethod.GET, "/api/v1/files/docs%2Freport%20" + tier + ".bin", a)
        .putHeader("Range", "bytes=10-19"));
      assertThat(range.statusCode()).isEqualTo(206);
      assertThat(range.body().getBytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 10, 20));

      HttpResponse<Buffer> notModified = ts.api.send(ts.api.request(HttpMethod.GET, "/api/v1/files/docs/report%20" + tier + ".bin", a)
        .putHeader("If-None-Match", created.getHeader("ETag")));
      assertThat(notModified.statusCode()).isEqualTo(304);

      assertThat(put("docs/report%20" + tier + ".bin", a, Buffer.buffer("x"), Map.of("If-None-Match", "*")).statusCode())
        .isEqualTo(412);
      assertThat(put("docs/report%20" + tier + ".bin", a, Buffer.buffer("x"), Map.of("If-Match", "\"nope\"")).statusCode())
        .isEqualTo(412);
      assertThat(put("docs/bad", a, Buffer.buffer("x"), Map.of("x-checksum-sha256", sha256(bytes))).statusCode()).isEqualTo(400);
      assertThat(send(HttpMethod.GET, "/api/v1/files/docs/bad", a).statusCode()).isEqualTo(404);

      HttpResponse<Buffer> copy = ts.api.send(ts.api.request(HttpMethod.POST, "/api/v1/files/docs/report%20" + tier + ".bin:copy", a),
        new JsonObject().put("to", "copies/one.bin"));
      assertThat(copy.statusCode()).as(copy.bodyAsString()).isEqualTo(201);
      assertThat(send(HttpMethod.GET, "/api/v1/files/copies/one.bin", a).body().getBytes()).isEqualTo(bytes);

      HttpResponse<Buffer> list = send(HttpMethod.GET, "/api/v1/files?prefix=docs/&limit=1", a);
      assertThat(list.statusCode()).as(list.bodyAsString()).isEqualTo(200);
      assertThat(list.bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getString("path")).isEqualTo("docs/report " + tier + ".bin");

      HttpResponse<Buffer> usage = send(HttpMethod.GET, "/api/v1/files:usage", a);
      assertThat(usage.statusCode()).as(usage.bodyAsString()).isEqualTo(200);
      assertThat(usage.bodyAsJsonObject().getLong("bytes")).isEqualTo(before.getLong("bytes") + 2L * bytes.length);
      assertThat(usage.bodyAsJsonObject().getLong("files")).isEqualTo(before.getLong("files") + 2L);

      assertThat(send(HttpMethod.DELETE, "/api/v1/files/copies/one.bin", a).statusCode()).isEqualTo(204);
      assertThat(send(HttpMethod.GET, "/api/v1/files/copies/one.bin", a).statusCode()).isEqualTo(404);
      // the copy's blob is gone; the original's remains (a rejected upload left none)
      eventually(() -> blobCount(ids.get(tier)[0]) == blobsBefore + 1);
    }
  }

  @Test
  void pathsThatTryToEscapeAreRefusedOrStayInside() {
    for (String tier : TIERS) {
      String a = tokens.get(tier)[0];
      for (String path : List.of("..%2F..%2Fetc%2Fpasswd", "%2e%2e%2fsecret", "a%252e%252e%252fb", "%C0%AE%C0%AE%2Fx",
        "a%5Cb", "%2Fabsolute", "a%00b", "a%01b", "e%CC%81", "a%2F%2Fb", "a%2F.%2Fb")) {
        HttpResponse<Buffer> r = put(path, a, Buffer.buffer("evil"), Map.of());
        assertThat(r.statusCode()).as(tier + " " + path + ": " + r.bodyAsString()).isIn(400, 404);
      }
      String longPath = "a".repeat(1025);
      assertThat(put(longPath, a, Buffer.buffer("x"), Map.of()).statusCode()).isIn(400, 414);
      HttpResponse<Buffer> list = send(HttpMethod.GET, "/api/v1/files?prefix=a", a);
      assertThat(list.bodyAsJsonObject().getJsonArray("items")).isEmpty();
    }
  }

  @Test
  void tenantACannotReachTenantBsFiles() {
    for (String tier : TIERS) {
      String a = tokens.get(tier)[0];
      String b = tokens.get(tier)[1];
      assertThat(put("secret/b.txt", b, Buffer.buffer("B's secret"), Map.of()).statusCode()).isEqualTo(201);
      assertThat(send(HttpMethod.GET, "/api/v1/files/secret/b.txt", a).statusCode()).isEqualTo(404);
      assertThat(send(HttpMethod.HEAD, "/api/v1/files/secret/b.txt", a).statusCode()).isEqualTo(404);
      assertThat(send(HttpMethod.DELETE, "/api/v1/files/secret/b.txt", a).statusCode()).isEqualTo(404);
      HttpResponse<Buffer> copy = ts.api.send(ts.api.request(HttpMethod.POST, "/api/v1/files/secret/b.txt:copy", a),
        new JsonObject().put("to", "stolen.txt"));
      assertThat(copy.statusCode()).isEqualTo(404);
      HttpResponse<Buffer> listed = send(HttpMethod.GET, "/api/v1/files?prefix=secret", a);
      assertThat(listed.bodyAsString()).doesNotContain("b.txt");
      // naming B while holding A's token is refused at the gate
      HttpResponse<Buffer> named = ts.api.send(ts.api.request(HttpMethod.GET, "/api/v1/files/secret/b.txt", a)
        .putHeader("X-Tenant-ID", "fb-" + tier));
      assertThat(named.statusCode()).isEqualTo(403);
      // A's own file of the same path is A's, and B's is untouched
      assertThat(put("secret/b.txt", a, Buffer.buffer("A's own"), Map.of()).statusCode()).isEqualTo(201);
      assertThat(send(HttpMethod.GET, "/api/v1/files/secret/b.txt", a).bodyAsString()).isEqualTo("A's own");
      assertThat(send(HttpMethod.GET, "/api/v1/files/secret/b.txt", b).bodyAsString()).isEqualTo("B's secret");
    }
  }

  @Test
  void quotasRefuseWhatDoesNotFitAndConcurrentUploadsCannotOvershoot() {
    String slug = "fq-quota";
    String t = tenant(slug, "shared");
    HttpResponse<Buffer> limits = ts.api.put("/admin/v1/tenants/" + slug + "/limits", root,
      new JsonObject().put("storage_bytes", 1000).put("storage_files", 5), null);
    assertThat(limits.statusCode()).as(limits.bodyAsString()).isEqualTo(200);
    assertThat(limits.bodyAsJsonObject().getJsonObject("storage").getLong("storage_bytes")).isEqualTo(1000L);

    HttpResponse<Buffer> tooBig = put("big.bin", t, Buffer.buffer(new byte[1001]), Map.of());
    assertThat(tooBig.statusCode()).isEqualTo(413);
    assertThat(tooBig.getHeader("Content-Type")).startsWith("application/problem+json");

    // ten concurrent 300-byte uploads: at most three fit
    List<io.vertx.core.Future<HttpResponse<Buffer>>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(ts.api.request(HttpMethod.PUT, "/api/v1/files/c" + i, t).sendBuffer(Buffer.buffer(new byte[300])));
    }
    Await.result(io.vertx.core.Future.join(all), 30);
    long ok = all.stream().filter(f -> f.result().statusCode() == 201).count();
    assertThat(ok).isEqualTo(3);
    all.stream().filter(f -> f.result().statusCode() != 201).forEach(f -> assertThat(f.result().statusCode()).isEqualTo(413));
    JsonObject usage = send(HttpMethod.GET, "/api/v1/files:usage", t).bodyAsJsonObject();
    assertThat(usage.getLong("bytes")).isEqualTo(900L);
    assertThat(usage.getLong("reserved_bytes")).isEqualTo(0L);
  }

  @Test
  void anInterruptedUploadLeavesNoFileAndNoOrphan() throws Exception {
    String tier = "schema";
    String a = tokens.get(tier)[0];
    long before = blobCount(ids.get(tier)[0]);
    try (Socket socket = new Socket("127.0.0.1", ts.config.httpPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("PUT /api/v1/files/cut.bin HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + a
        + "\r\nContent-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[200_000]);
      out.flush();
      Thread.sleep(200); // the bytes must reach the server before the connection drops (what is tested)
    }
    eventually(() -> send(HttpMethod.GET, "/api/v1/files:usage", a).bodyAsJsonObject().getLong("reserved_bytes") == 0);
    assertThat(send(HttpMethod.GET, "/api/v1/files/cut.bin", a).statusCode()).isEqualTo(404);
    assertThat(blobCount(ids.get(tier)[0])).isEqualTo(before);
    eventually(() -> temporaries(ids.get(tier)[0]) == 0);
  }

  @Test
  void theSweeperRemovesABlobLeftByAnUploadThatNeverFinished() throws Exception {
    String tier = "shared";
    String tenantId = ids.get(tier)[0];
    String orphan = "0123456789abcdef0123456789abcdef";
    plantBlob(tenantId, orphan, "left behind");
    assertThat(blobExists(tenantId, orphan)).isTrue();
    try (var c = io.tenantry.support.TestEnv.connect(ts.config.dbName(), "postgres");
         var st = c.prepareStatement("INSERT INTO platform.storage_reservations (id, tenant_id, blob, bytes, files, expires_at)"
           + " VALUES (gen_random_uuid(), ?::uuid, ?, 11, 1, now())")) {
      st.setString(1, tenantId);
      st.setString(2, orphan);
      st.executeUpdate();
    }
    eventually(() -> !blobExists(tenantId, orphan));
  }

  @Test
  void purgingATenantRemovesItsFilesAndNoOtherTenants() {
    String slug = "fp-purge";
    String t = tenant(slug, "shared");
    String id = id(slug);
    String neighbour = ids.get("shared")[1];
    assertThat(put("x.txt", t, Buffer.buffer("bye"), Map.of()).statusCode()).isEqualTo(201);
    assertThat(put("kept.txt", tokens.get("shared")[1], Buffer.buffer("stays"), Map.of()).statusCode()).isEqualTo(201);
    long neighbours = blobCount(neighbour);
    assertThat(blobCount(id)).isEqualTo(1);
    HttpResponse<Buffer> deleted = send(HttpMethod.DELETE, "/admin/v1/tenants/" + slug, root);
    assertThat(deleted.statusCode()).as(deleted.bodyAsString()).isIn(200, 202, 204);
    eventually(() -> blobCount(id) == 0);
    assertThat(blobCount(neighbour)).isEqualTo(neighbours);
    assertThat(send(HttpMethod.GET, "/api/v1/files/kept.txt", tokens.get("shared")[1]).bodyAsString()).isEqualTo("stays");
  }

  @Test
  void contentMd5IsVerifiedAndAMismatchKeepsNothing() throws Exception {
    String tier = "shared";
    String a = tokens.get(tier)[0];
    byte[] bytes = "checked with MD5".getBytes(StandardCharsets.UTF_8);
    String md5 = java.util.Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    assertThat(put("md5/ok.txt", a, Buffer.buffer(bytes), Map.of("Content-MD5", md5)).statusCode()).isEqualTo(201);
    assertThat(send(HttpMethod.GET, "/api/v1/files/md5/ok.txt", a).body().getBytes()).isEqualTo(bytes);
    long blobs = blobCount(ids.get(tier)[0]);
    String otherMd5 = java.util.Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest("other".getBytes()));
    HttpResponse<Buffer> wrong = put("md5/wrong.txt", a, Buffer.buffer(bytes), Map.of("Content-MD5", otherMd5));
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(wrong.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(wrong.bodyAsJsonObject().getString("detail")).contains("Content-MD5");
    HttpResponse<Buffer> malformed = put("md5/bad.txt", a, Buffer.buffer(bytes), Map.of("Content-MD5", "not-base64!"));
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.bodyAsJsonObject().getString("detail")).contains("base64");
    assertThat(send(HttpMethod.GET, "/api/v1/files/md5/wrong.txt", a).statusCode()).isEqualTo(404);
    assertThat(send(HttpMethod.GET, "/api/v1/files/md5/bad.txt", a).statusCode()).isEqualTo(404);
    eventually(() -> blobCount(ids.get(tier)[0]) == blobs);
  }

  @Test
  void anUploadOfUnknownLengthStreamsAndRoundTrips() throws Exception {
    String tier = "database";
    String a = tokens.get(tier)[0];
    byte[] bytes = new byte[18_000_000]; // on S3: a multipart upload of three parts (8 MiB, 8 MiB, the rest)
    new java.util.Random(11).nextBytes(bytes);
    Path file = Files.createTempFile("tenantry-chunked-", ".bin");
    Files.write(file, bytes);
    // an AsyncFile sent without Content-Length goes chunked: the server does not know the length in advance
    io.vertx.core.file.AsyncFile chunked = Await.result(ts.vertx.fileSystem().open(file.toString(),
      new io.vertx.core.file.OpenOptions().setRead(true)));
    HttpResponse<Buffer> r = Await.result(ts.api.request(HttpMethod.PUT, "/api/v1/files/chunked.bin", a)
      .putHeader("x-checksum-sha256", sha256(bytes)).sendStream(chunked), 60);
    Files.delete(file);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    assertThat(r.bodyAsJsonObject().getLong("size")).isEqualTo(bytes.length);
    HttpResponse<Buffer> got = send(HttpMethod.GET, "/api/v1/files/chunked.bin", a);
    assertThat(got.body().getBytes()).isEqualTo(bytes);
    HttpResponse<Buffer> tail = ts.api.send(ts.api.request(HttpMethod.GET, "/api/v1/files/chunked.bin", a)
      .putHeader("Range", "bytes=-5"));
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.body().getBytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, bytes.length - 5, bytes.length));
  }

  static void eventually(java.util.function.Supplier<Boolean> condition) {
    Eventually.within(java.time.Duration.ofSeconds(20), "the condition", condition);
  }

  static long count(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
