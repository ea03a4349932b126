package io.tenantry.export;

import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Export on one installation, import on another: everything comes back identical, the audit chain verifies there;
 * bundles that are corrupted, truncated, of another format version or whose checksums disagree are refused with
 * nothing written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportImportTest {
  /** Seals quickly; connections may take long to open on a machine shared by many test runs. */
  private static final Map<String, String> BUSY_MACHINE =
    Map.of("audit.seal-interval-ms", "100", "db.connect-timeout-ms", "30000");
  private TestServer source;
  private TestServer target;
  private String sourceRoot;
  private String targetRoot;
  private byte[] sharedBundle;

  @BeforeAll
  void start() {
    source = TestServer.start(BUSY_MACHINE);
    target = TestServer.start(BUSY_MACHINE);
    sourceRoot = source.adminToken();
    targetRoot = target.adminToken();
    fill("corrupt-me", "shared");
    sharedBundle = Bundles.download(source, sourceRoot, Bundles.export(source, sourceRoot, "corrupt-me", true));
  }

  @AfterAll
  void stop() {
    target.close();
    source.close();
  }

  @ParameterizedTest(name = "{0} there, {1} here")
  @CsvSource({"shared, schema", "schema, database", "database, shared"})
  void roundTripBringsBackRecordsSchemasConfigUsersAndAVerifyingAuditChain(String from, String to) {
    String slug = "rt-" + from;
    String adminToken = fill(slug, from);
    JsonObject job = Bundles.export(source, sourceRoot, slug, true);
    assertThat(job.getLong("records")).isEqualTo(5);
    byte[] bundle = Bundles.download(source, sourceRoot, job);

    HttpResponse<Buffer> imported = Bundles.importBundle(target, targetRoot, bundle, "isolation=" + to);
    assertThat(imported.statusCode()).as(imported.bodyAsString()).isEqualTo(201);
    JsonObject tenant = imported.bodyAsJsonObject();
    assertThat(tenant.getString("isolation")).isEqualTo(to);
    assertThat(tenant.getString("id")).isEqualTo(source.api.get("/admin/v1/tenants/" + slug, sourceRoot)
      .bodyAsJsonObject().getString("id"));

    String there = target.api.token("admin@" + slug + ".test", "password-of-admin@" + slug + ".test", slug);
    for (String collection : new String[] {"notes", "tasks"}) {
      String path = "/api/v1/collections/" + collection + "/records?limit=100";
      JsonArray before = source.api.get(path, adminToken).bodyAsJsonObject().getJsonArray("items");
      JsonArray after = target.api.get(path, there).bodyAsJsonObject().getJsonArray("items");
      assertThat(after).isEqualTo(before);
      assertThat(after.size()).isPositive();
    }
    assertThat(get(target, "/admin/v1/tenants/" + slug + "/collections/tasks", targetRoot))
      .isEqualTo(get(source, "/admin/v1/tenants/" + slug + "/collections/tasks", sourceRoot));
    assertThat(get(target, "/admin/v1/tenants/" + slug + "/config", targetRoot))
      .isEqualTo(get(source, "/admin/v1/tenants/" + slug + "/config", sourceRoot));
    assertThat(members(target, targetRoot, slug)).isEqualTo(members(source, sourceRoot, slug));

    assertSameFiles(source, adminToken, target, there);
    assertThat(job.getString("state")).isEqualTo("done");

    JsonObject verified = get(target, "/admin/v1/tenants/" + slug + "/audit/verify", targetRoot);
    assertThat(verified.getBoolean("intact")).as(verified.encode()).isTrue();
    assertThat(verified.getLong("entries")).isPositive();
  }

  @Test
  void theManifestCountsTheFilesAndEachBlobIsAPartWithItsSha256() throws Exception {
    Map<String, byte[]> entries = Bundles.entries(sharedBundle);
    JsonObject manifest = new JsonObject(Buffer.buffer(entries.get(BundleFormat.MANIFEST)));
    assertThat(manifest.getInteger("format_version")).isEqualTo(BundleFormat.VERSION);
    JsonObject files = manifest.getJsonObject("files");
    assertThat(files.getBoolean("included")).isTrue();
    assertThat(files.getLong("count")).isEqualTo(FILES.size());
    assertThat(files.getLong("bytes")).isEqualTo(FILES.values().stream().mapToLong(b -> b.length).sum());
    String index = new String(entries.get(BundleFormat.FILES_INDEX), StandardCharsets.UTF_8);
    assertThat(index.lines()).hasSize(FILES.size());
    for (String line : index.lines().toList()) {
      JsonObject file = new JsonObject(line);
      byte[] bytes = entries.get(BundleFormat.FILE_BLOBS + file.getString("blob"));
      assertThat(bytes).isEqualTo(FILES.get(file.getString("path")));
      JsonObject part = manifest.getJsonArray("parts").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("name").equals(BundleFormat.FILE_BLOBS + file.getString("blob"))).findFirst().orElseThrow();
      assertThat(part.getString("sha256")).isEqualTo(file.getString("sha256"))
        .isEqualTo(java.util.HexFormat.of().formatHex(sha256(bytes)));
    }
  }

  /** The files the tenant has here, listed and read, are those it has there, byte for byte. */
  private static void assertSameFiles(TestServer from, String fromToken, TestServer to, String toToken) {
    JsonArray before = from.api.get("/api/v1/files?limit=100", fromToken).bodyAsJsonObject().getJsonArray("items");
    JsonArray after = to.api.get("/api/v1/files?limit=100", toToken).bodyAsJsonObject().getJsonArray("items");
    assertThat(after.size()).isEqualTo(FILES.size());
    assertThat(after).isEqualTo(before);
    for (String path : FILES.keySet()) {
      HttpResponse<Buffer> got = to.api.get("/api/v1/files/" + path, toToken);
      assertThat(got.statusCode()).as(path + ": " + got.bodyAsString()).isEqualTo(200);
      byte[] bytes = got.body() == null ? new byte[0] : got.body().getBytes(); // an empty body is no body
      assertThat(bytes).as(path).isEqualTo(FILES.get(path));
    }
  }

  private static byte[] sha256(byte[] bytes) {
    return Sha256.digest().digest(bytes);
  }

  @Test
  void theCliExportsToAFileAndImportsItUnderAnotherSlug() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("bundle-", ".tar");
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
      int exported = io.tenantry.cli.TenantsCli.run(new String[] {"export", "corrupt-me", "-o", file.toString(), "--with-password-hashes",
        "--server", "http://127.0.0.1:" + source.config.httpPort(), "--token", sourceRoot},
        new java.io.PrintStream(out), new java.io.PrintStream(err), Map.of());
      assertThat(exported).as(err.toString()).isZero();
      assertThat(out.toString()).contains("exported corrupt-me to " + file);
      int imported = io.tenantry.cli.TenantsCli.run(new String[] {"import", file.toString(), "--as", "from-cli",
        "--isolation", "schema", "--server", "http://127.0.0.1:" + target.config.httpPort(), "--token", targetRoot},
        new java.io.PrintStream(out), new java.io.PrintStream(err), Map.of());
      assertThat(imported).as(err.toString()).isZero();
      JsonObject tenant = get(target, "/admin/v1/tenants/from-cli", targetRoot);
      assertThat(tenant.getString("isolation")).isEqualTo("schema");
      String token = target.api.token("member@corrupt-me.test", "password-of-member@corrupt-me.test", "from-cli");
      assertThat(target.api.get("/api/v1/collections/notes/records", token).bodyAsJsonObject().getJsonArray("items"))
        .hasSize(3);
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }

  @Test
  void aDatabaseTierTenantMovesToTheSecondPostgresServerThroughABundle() {
    io.tenantry.support.SecondPostgres.ensure();
    String slug = "to-second";
    String adminToken = fill(slug, "database");
    byte[] bundle = Bundles.download(source, sourceRoot, Bundles.export(source, sourceRoot, slug, true));
    String database = "tenantry_second_" + Long.toHexString(System.nanoTime());
    try {
      HttpResponse<Buffer> imported = Bundles.importBundle(target, targetRoot, bundle, "isolation=database&database_host=127.0.0.1"
        + "&database_port=" + io.tenantry.support.SecondPostgres.PORT + "&database_name=" + database);
      assertThat(imported.statusCode()).as(imported.bodyAsString()).isEqualTo(201);
      assertThat(imported.bodyAsJsonObject().getJsonObject("database").getInteger("port"))
        .isEqualTo(io.tenantry.support.SecondPostgres.PORT);
      String there = target.api.token("admin@" + slug + ".test", "password-of-admin@" + slug + ".test", slug);
      String path = "/api/v1/collections/notes/records?limit=100";
      assertThat(target.api.get(path, there).bodyAsJsonObject().getJsonArray("items"))
        .isEqualTo(source.api.get(path, adminToken).bodyAsJsonObject().getJsonArray("items"));
      try (Connection c = io.tenantry.support.SecondPostgres.connect(database); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT count(*) FROM tenant.records")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(5);
      }
      JsonObject verified = get(target, "/admin/v1/tenants/" + slug + "/audit/verify", targetRoot);
      assertThat(verified.getBoolean("intact")).as(verified.encode()).isTrue();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } finally {
      target.api.delete("/admin/v1/tenants/" + slug, targetRoot, null); // closes its pool before the drop
      io.tenantry.support.SecondPostgres.drop(database, target.config.appRole(), target.config.ownerRole());
    }
  }

  @Test
  void passwordHashesStayOutUnlessAskedFor() throws Exception {
    byte[] without = Bundles.download(source, sourceRoot, Bundles.export(source, sourceRoot, "corrupt-me", false));
    String users = new String(Bundles.entries(without).get(BundleFormat.USERS), StandardCharsets.UTF_8);
    assertThat(users).contains("admin@corrupt-me.test").doesNotContain("password_hash").doesNotContain("pbkdf2");
    String withHashes = new String(Bundles.entries(sharedBundle).get(BundleFormat.USERS), StandardCharsets.UTF_8);
    assertThat(withHashes).contains("pbkdf2");
  }

  @Test
  void aRangeResumesTheDownload() {
    JsonObject job = Bundles.export(source, sourceRoot, "corrupt-me", true);
    byte[] whole = Bundles.download(source, sourceRoot, job);
    HttpResponse<Buffer> tail = source.api.send(source.api.request(HttpMethod.GET, job.getString("bundle"), sourceRoot)
      .putHeader("Range", "bytes=100-"));
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.getHeader("Content-Range")).isEqualTo("bytes 100-" + (whole.length - 1) + "/" + whole.length);
    assertThat(tail.body().getBytes()).isEqualTo(Arrays.copyOfRange(whole, 100, whole.length));
    HttpResponse<Buffer> beyond = source.api.send(source.api.request(HttpMethod.GET, job.getString("bundle"), sourceRoot)
      .putHeader("Range", "bytes=" + whole.length + "-"));
    assertThat(beyond.statusCode()).isEqualTo(416);
  }

  @Test
  void aCorruptedPartIsRefusedWithNothingWritten() throws Exception {
    String records = BundleFormat.records("notes");
    byte[] corrupted = Bundles.edit(sharedBundle, records, bytes -> {
      byte[] copy = bytes.clone();
      int i = new String(copy, StandardCharsets.UTF_8).indexOf("\"n\"");
      copy[i + 1] = 'm'; // same size, other content
      return copy;
    });
    refused(corrupted, "does not match its SHA-256");
  }

  @Test
  void aTruncatedBundleIsRefusedWithNothingWritten() {
    refused(Arrays.copyOf(sharedBundle, sharedBundle.length / 2), null);
  }

  @Test
  void anotherFormatVersionIsRefusedWithNothingWritten() throws Exception {
    byte[] future = Bundles.edit(sharedBundle, BundleFormat.MANIFEST,
      bytes -> new JsonObject(Buffer.buffer(bytes)).put("format_version", BundleFormat.VERSION + 1).toBuffer().getBytes());
    refused(future, "format version " + (BundleFormat.VERSION + 1) + " is not supported");
  }

  @Test
  void aVersionOneBundleStillImports() throws Exception {
    fill("old-format", "schema", false);
    byte[] bundle = Bundles.download(source, sourceRoot, Bundles.export(source, sourceRoot, "old-format", true));
    assertThat(Bundles.entries(bundle).keySet()).noneMatch(name -> name.startsWith(BundleFormat.FILES_DIR));
    byte[] versionOne = Bundles.edit(bundle, BundleFormat.MANIFEST,
      bytes -> new JsonObject(Buffer.buffer(bytes)).put("format_version", 1).toBuffer().getBytes());
    HttpResponse<Buffer> imported = Bundles.importBundle(target, targetRoot, versionOne, "as=from-version-one");
    assertThat(imported.statusCode()).as(imported.bodyAsString()).isEqualTo(201);
    String token = target.api.token("member@old-format.test", "password-of-member@old-format.test", "from-version-one");
    assertThat(target.api.get("/api/v1/collections/notes/records", token).bodyAsJsonObject().getJsonArray("items"))
      .hasSize(3);
  }

  @Test
  void aBlobThatDisagreesWithTheFileIndexIsRefusedWithNothingWritten() throws Exception {
    Map<String, byte[]> entries = Bundles.entries(sharedBundle);
    String blob = entries.keySet().stream().filter(n -> n.startsWith(BundleFormat.FILE_BLOBS)).findFirst().orElseThrow();
    byte[] altered = entries.get(blob).clone();
    altered[0] ^= 1;
    // the manifest made to agree with the altered bytes: only the index still knows the file's own SHA-256
    JsonObject manifest = new JsonObject(Buffer.buffer(entries.get(BundleFormat.MANIFEST)));
    manifest.getJsonArray("parts").stream().map(JsonObject.class::cast).filter(p -> p.getString("name").equals(blob))
      .forEach(p -> p.put("sha256", java.util.HexFormat.of().formatHex(sha256(altered))));
    entries.put(BundleFormat.MANIFEST, manifest.toBuffer().getBytes());
    entries.put(blob, altered);
    refused(Bundles.tar(entries), "differs from its size or SHA-256");
  }

  @Test
  void anArchivedTenantIsReplacedOnlyWhenAskedFor() throws Exception {
    fill("replace-me", "schema");
    byte[] bundle = Bundles.download(source, sourceRoot, Bundles.export(source, sourceRoot, "replace-me", true));
    HttpResponse<Buffer> first = Bundles.importBundle(target, targetRoot, bundle, "isolation=database");
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(201);
    String id = first.bodyAsJsonObject().getString("id");
    String there = target.api.token("admin@replace-me.test", "password-of-admin@replace-me.test", "replace-me");
    HttpResponse<Buffer> later = target.api.post("/api/v1/collections/notes/records", there, new JsonObject().put("n", 100));
    assertThat(later.statusCode()).as(later.bodyAsString()).isEqualTo(201);
    assertThat(target.api.put("/api/v1/files/later.txt", there, new JsonObject().put("later", true), null).statusCode())
      .isIn(200, 201);

    HttpResponse<Buffer> active = Bundles.importBundle(target, targetRoot, bundle, "replace_archived=true");
    assertThat(active.statusCode()).as(active.bodyAsString()).isEqualTo(409);
    assertThat(active.bodyAsJsonObject().getString("detail")).contains("archived tenant only");
    HttpResponse<Buffer> archived = target.api.post("/admin/v1/tenants/replace-me/archive", targetRoot, new JsonObject());
    assertThat(archived.statusCode()).as(archived.bodyAsString()).isEqualTo(200);
    HttpResponse<Buffer> notAsked = Bundles.importBundle(target, targetRoot, bundle, null);
    assertThat(notAsked.statusCode()).as(notAsked.bodyAsString()).isEqualTo(409);
    assertThat(notAsked.bodyAsJsonObject().getString("detail")).contains("replace_archived=true");
    HttpResponse<Buffer> bad = Bundles.importBundle(target, targetRoot, bundle, "replace_archived=yes");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.getHeader("Content-Type")).startsWith("application/problem+json");

    HttpResponse<Buffer> replaced = Bundles.importBundle(target, targetRoot, bundle, "replace_archived=true&isolation=schema");
    assertThat(replaced.statusCode()).as(replaced.bodyAsString()).isEqualTo(201);
    JsonObject tenant = replaced.bodyAsJsonObject();
    assertThat(tenant.getString("id")).isEqualTo(id);
    assertThat(tenant.getString("status")).isEqualTo("active");
    assertThat(tenant.getString("isolation")).isEqualTo("schema");
    String again = target.api.token("admin@replace-me.test", "password-of-admin@replace-me.test", "replace-me");
    String path = "/api/v1/collections/notes/records?limit=100";
    assertThat(target.api.get(path, again).bodyAsJsonObject().getJsonArray("items")) // the bundle's, not the later write
      .isEqualTo(source.api.get(path, source.api.token("admin@replace-me.test", "password-of-admin@replace-me.test",
        "replace-me")).bodyAsJsonObject().getJsonArray("items"));
    assertThat(target.api.get("/api/v1/files/later.txt", again).statusCode()).isEqualTo(404);
    assertSameFiles(source, source.api.token("admin@replace-me.test", "password-of-admin@replace-me.test", "replace-me"),
      target, again);
    assertThat(count(target, "SELECT count(*) FROM pg_database WHERE datname LIKE '%" + id.replace("-", "") + "'"))
      .as("the archived tenant's database is gone").isZero();
  }

  @Test
  void aManifestChecksumThatDisagreesIsRefusedWithNothingWritten() throws Exception {
    byte[] lying = Bundles.edit(sharedBundle, BundleFormat.MANIFEST, bytes -> {
      JsonObject manifest = new JsonObject(Buffer.buffer(bytes));
      JsonArray parts = manifest.getJsonArray("parts");
      parts.getJsonObject(parts.size() - 1).put("sha256", "0".repeat(64));
      return manifest.toBuffer().getBytes();
    });
    refused(lying, "does not match its SHA-256");
  }

  /**
   * A line the API would have refused — data nested deeper than http.json-max-depth (1500 here: past what the server
   * can read back), in a records part or any other, a duplicate key, a record whose data is not an object — is
   * refused before anything is written, even when the manifest agrees with the bytes.
   */
  @Test
  void aRecordTheApiWouldRefuseIsRefusedWithNothingWritten() throws Exception {
    String deep = "{\"n\":" + "[".repeat(1500) + "]".repeat(1500) + "}";
    refused(withRecordLine("{\"id\":\"" + UUID.randomUUID() + "\",\"version\":1,\"data\":" + deep
      + ",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}"),
      "line 1 is not JSON the API would accept: JSON nested deeper than");
    refused(withRecordLine("{\"id\":\"" + UUID.randomUUID() + "\",\"version\":1,\"data\":{\"a\":1,\"a\":2}}"),
      "a key appears twice");
    refused(withFirstLine(BundleFormat.USER_SETTINGS, "{\"user\":\"" + UUID.randomUUID() + "\",\"value\":" + deep + "}"),
      "part " + BundleFormat.USER_SETTINGS + " line 1 is not JSON the API would accept: JSON nested deeper than");
    refused(withRecordLine("{\"id\":\"" + UUID.randomUUID() + "\",\"version\":1,\"data\":[1]}"),
      "line 1 has no data object");
  }

  private byte[] withRecordLine(String line) throws IOException {
    return withFirstLine(BundleFormat.records("notes"), line);
  }

  /** The shared bundle with a part's first line replaced (or the line added), the manifest agreeing with the bytes. */
  private byte[] withFirstLine(String name, String line) throws IOException {
    Map<String, byte[]> entries = Bundles.entries(sharedBundle);
    String part = new String(entries.get(name), StandardCharsets.UTF_8);
    boolean empty = part.isEmpty();
    byte[] changed = (line + (empty ? "\n" : part.substring(part.indexOf('\n')))).getBytes(StandardCharsets.UTF_8);
    JsonObject manifest = new JsonObject(Buffer.buffer(entries.get(BundleFormat.MANIFEST)));
    manifest.getJsonArray("parts").stream().map(JsonObject.class::cast).filter(p -> p.getString("name").equals(name))
      .forEach(p -> p.put("bytes", changed.length).put("sha256", java.util.HexFormat.of().formatHex(sha256(changed)))
        .put("count", p.getInteger("count") + (empty ? 1 : 0)));
    entries.put(BundleFormat.MANIFEST, manifest.toBuffer().getBytes());
    entries.put(name, changed);
    return Bundles.tar(entries);
  }

  @Test
  void aTenantThatExistsIsNotImportedAgain() {
    HttpResponse<Buffer> again = Bundles.importBundle(source, sourceRoot, sharedBundle, "as=corrupt-me-2");
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(409);
    assertThat(source.api.get("/admin/v1/tenants/corrupt-me-2", sourceRoot).statusCode()).isEqualTo(404);
  }

  private void refused(byte[] bundle, String because) {
    long users = count(target, "SELECT count(*) FROM platform.users");
    HttpResponse<Buffer> r = Bundles.importBundle(target, targetRoot, bundle, "as=refused-one");
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(422);
    assertThat(r.getHeader("Content-Type")).startsWith("application/problem+json");
    if (because != null) {
      assertThat(r.bodyAsJsonObject().getString("detail")).contains(because);
    }
    assertThat(target.api.get("/admin/v1/tenants/refused-one", targetRoot).statusCode()).isEqualTo(404);
    assertThat(count(target, "SELECT count(*) FROM platform.tenants WHERE slug = 'refused-one'")).isZero();
    assertThat(count(target, "SELECT count(*) FROM platform.users")).isEqualTo(users);
  }

  /** The files {@link #fill} stores, by path: some binary bytes, a short text, and an empty file. */
  private static final Map<String, byte[]> FILES = files();

  private static Map<String, byte[]> files() {
    byte[] binary = new byte[70_000];
    new java.util.Random(19).nextBytes(binary);
    Map<String, byte[]> files = new java.util.LinkedHashMap<>();
    files.put("docs/report.bin", binary);
    files.put("notes/hello.txt", "hello, é\n".getBytes(StandardCharsets.UTF_8));
    files.put("zero.txt", new byte[0]);
    return files;
  }

  private String fill(String slug, String tier) {
    return fill(slug, tier, true);
  }

  /**
   * A tenant of the tier with an admin, a member, five records in two collections, a schema and a setting, and
   * (withFiles) {@link #FILES}.
   */
  private String fill(String slug, String tier, boolean withFiles) {
    HttpResponse<Buffer> created = source.api.post("/admin/v1/tenants", sourceRoot,
      new JsonObject().put("slug", slug).put("name", "Tenant " + slug).put("isolation", tier));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    source.addUser(sourceRoot, slug, "admin@" + slug + ".test", "tenant_admin");
    source.addUser(sourceRoot, slug, "member@" + slug + ".test", "member");
    String admin = source.api.token("admin@" + slug + ".test", "password-of-admin@" + slug + ".test", slug);
    HttpResponse<Buffer> schema = source.api.put("/admin/v1/tenants/" + slug + "/collections/tasks", admin,
      new JsonObject().put("schema", new JsonObject().put("type", "object")
        .put("required", new JsonArray().add("title"))), null);
    assertThat(schema.statusCode()).as(schema.bodyAsString()).isIn(200, 201);
    HttpResponse<Buffer> setting = source.api.put("/admin/v1/tenants/" + slug + "/config/branding.display_name", admin,
      new JsonObject().put("value", "Shown " + slug), null);
    assertThat(setting.statusCode()).as(setting.bodyAsString()).isIn(200, 201);
    for (int i = 0; i < 3; i++) {
      post(admin, "/api/v1/collections/notes/records", new JsonObject().put("n", i).put("text", "note \"" + i + "\"\n\\ é"));
    }
    for (int i = 0; i < 2; i++) {
      post(admin, "/api/v1/collections/tasks/records", new JsonObject().put("title", "task " + i));
    }
    if (withFiles) {
      FILES.forEach((path, bytes) -> {
        HttpResponse<Buffer> r = io.tenantry.support.Await.result(source.api.request(HttpMethod.PUT, "/api/v1/files/" + path,
          admin).putHeader("Content-Type", "application/octet-stream").sendBuffer(Buffer.buffer(bytes)), 30);
        assertThat(r.statusCode()).as(path + ": " + r.bodyAsString()).isEqualTo(201);
      });
    }
    return admin;
  }

  private void post(String token, String path, JsonObject body) {
    HttpResponse<Buffer> r = source.api.post(path, token, body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
  }

  private static JsonObject get(TestServer ts, String path, String token) {
    HttpResponse<Buffer> r = ts.api.get(path, token);
    assertThat(r.statusCode()).as(path + ": " + r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static JsonArray members(TestServer ts, String root, String slug) {
    JsonArray items = get(ts, "/admin/v1/tenants/" + slug + "/users", root).getJsonArray("items");
    JsonArray simple = new JsonArray();
    items.stream().map(JsonObject.class::cast)
      .map(m -> new JsonObject().put("email", m.getString("email")).put("role", m.getString("role")))
      .sorted((a, b) -> a.getString("email").compareTo(b.getString("email")))
      .forEach(simple::add);
    return simple;
  }

  private static long count(TestServer ts, String sql) {
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
