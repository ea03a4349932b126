package io.tenantry.relocation;

import io.tenantry.support.Eventually;
import io.tenantry.support.SecondPostgres;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Online moves under a client writing as fast as it can: every acknowledged create is there exactly once after the
 * move, every acknowledged delete stays deleted, no write is refused, the audit chain verifies on the new tier, and
 * the old copy goes after the grace period. A move that cannot reach its target leaves the tenant serving where it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnlineMoveTest {
  private static final Map<String, String> SETTINGS = Map.of("relocations.grace-seconds", "1",
    "relocations.drain-ms", "300", "audit.seal-interval-ms", "100", "db.connect-timeout-ms", "30000");
  private TestServer server;
  private String root;

  @BeforeAll
  void start() {
    server = TestServer.start(SETTINGS);
    root = server.adminToken();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"shared, schema", "schema, database", "database, shared"})
  void aMoveUnderContinuousWritesLosesAndDoublesNothing(String from, String to) {
    String slug = "mv-" + from + "-" + to;
    String token = tenant(slug, from);
    byte[] file = new byte[50_000];
    new java.util.Random(slug.hashCode()).nextBytes(file);
    assertThat(putFile(token, "kept/before.bin", file).statusCode()).isEqualTo(201);
    JsonObject job = moveUnderWrites(slug, token, new JsonObject().put("isolation", to));
    assertThat(tenantRow(slug).getString("isolation")).isEqualTo(to);
    assertThat(job.getLong("rows_copied")).isPositive();
    // the file's metadata moved with the tenant; its bytes stayed where they were (keyed by tenant id, not tier)
    assertThat(fileBytes(token, "kept/before.bin")).isEqualTo(file);
    assertThat(putFile(token, "kept/after.bin", new byte[] {1, 2, 3}).statusCode()).isEqualTo(201);
    assertThat(fileBytes(token, "kept/after.bin")).isEqualTo(new byte[] {1, 2, 3});
    oldCopyGoes(slug, job);
    assertThat(fileBytes(token, "kept/before.bin")).as("after the old copy is removed").isEqualTo(file);
  }

  private HttpResponse<Buffer> putFile(String token, String path, byte[] bytes) {
    return io.tenantry.support.Await.result(server.api.request(io.vertx.core.http.HttpMethod.PUT, "/api/v1/files/" + path,
      token).putHeader("Content-Type", "application/octet-stream").sendBuffer(Buffer.buffer(bytes)), 30);
  }

  private byte[] fileBytes(String token, String path) {
    HttpResponse<Buffer> got = server.api.get("/api/v1/files/" + path, token);
    assertThat(got.statusCode()).as(path + ": " + got.bodyAsString()).isEqualTo(200);
    return got.body().getBytes();
  }

  @Test
  void aDatabaseTierTenantMovesToTheSecondServerUnderContinuousWrites() {
    SecondPostgres.ensure();
    String slug = "mv-second";
    String token = tenant(slug, "database");
    String database = "tenantry_mv_" + Long.toHexString(System.nanoTime());
    try {
      moveUnderWrites(slug, token, new JsonObject().put("isolation", "database").put("target", new JsonObject()
        .put("host", SecondPostgres.HOST).put("port", SecondPostgres.PORT).put("name", database)));
      JsonObject tenant = tenantRow(slug);
      assertThat(tenant.getJsonObject("database").getInteger("port")).isEqualTo(SecondPostgres.PORT);
      assertThat(tenant.getJsonObject("database").getString("name")).isEqualTo(database);
    } finally {
      server.api.delete("/admin/v1/tenants/" + slug, root, null); // closes its pool before the drop
      SecondPostgres.drop(database, server.config.appRole(), server.config.ownerRole());
    }
  }

  @Test
  void aMoveToAnUnreachableServerFailsAndTheTenantKeepsServingWhereItWas() {
    String slug = "mv-unreachable";
    String token = tenant(slug, "schema");
    ContinuousWriter writer = new ContinuousWriter(server.http, token).start(2);
    HttpResponse<Buffer> started = server.api.post("/admin/v1/tenants/" + slug + "/relocations", root,
      new JsonObject().put("isolation", "database").put("target", new JsonObject().put("host", "127.0.0.1").put("port", 1)));
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(202);
    JsonObject job = finished(slug, started.bodyAsJsonObject().getString("id"));
    writer.stop();
    assertThat(job.getString("phase")).isEqualTo("failed");
    assertThat(job.getString("error")).isNotBlank();
    assertThat(tenantRow(slug).getString("isolation")).isEqualTo("schema");
    assertThat(writer.errors).isEmpty();
    checkEveryAcknowledgedWrite(token, writer);
    HttpResponse<Buffer> after = server.api.post("/api/v1/collections/moving/records", token, new JsonObject().put("n", -1));
    assertThat(after.statusCode()).isEqualTo(201);
  }

  /**
   * The catch-up copies what the audit log names; a write that left no entry (SQL run by hand during the move) is
   * found by the whole-copy check before the pause and copied then: the new home has it.
   */
  @Test
  void aWriteThatLeftNoAuditEntryIsFoundBeforeThePauseAndCopied() {
    String slug = "mv-unaudited";
    String token = tenant(slug, "shared");
    String tenantId = tenantRow(slug).getString("id");
    JsonObject record = server.api.get("/api/v1/collections/moving/records?limit=1", token).bodyAsJsonObject()
      .getJsonArray("items").getJsonObject(0);
    String recordId = record.getString("id");
    RelocationFaults.atCatchingUp = tenant -> {
      if (tenant.toString().equals(tenantId)) {
        execute("UPDATE shared.records SET data = '{\"n\": 1, \"by_hand\": true}', version = version + 1 "
          + "WHERE tenant_id = '" + tenantId + "' AND id = '" + recordId + "'");
      }
    };
    try {
      HttpResponse<Buffer> started = server.api.post("/admin/v1/tenants/" + slug + "/relocations", root,
        new JsonObject().put("isolation", "schema"));
      assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(202);
      JsonObject job = finished(slug, started.bodyAsJsonObject().getString("id"));
      assertThat(job.getString("phase")).as(job.encode()).isIn("switched", "done");
    } finally {
      RelocationFaults.atCatchingUp = null;
    }
    assertThat(tenantRow(slug).getString("isolation")).isEqualTo("schema");
    JsonObject moved = server.api.get("/api/v1/collections/moving/records/" + recordId, token).bodyAsJsonObject();
    assertThat(moved.getJsonObject("data").getBoolean("by_hand")).as(moved.encode()).isTrue();
    assertThat(moved.getLong("version")).isEqualTo(record.getLong("version") + 1);
  }

  private void execute(String sql) {
    try (java.sql.Connection c = io.tenantry.support.TestEnv.connect(server.config.dbName(),
      io.tenantry.support.TestEnv.adminUser()); java.sql.Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void badRequestsAreRefusedWithWhatIsAllowed() {
    String slug = "mv-bad";
    tenant(slug, "shared");
    HttpResponse<Buffer> same = server.api.post("/admin/v1/tenants/" + slug + "/relocations", root,
      new JsonObject().put("isolation", "shared"));
    assertThat(same.statusCode()).isEqualTo(409);
    assertThat(same.getHeader("Content-Type")).startsWith("application/problem+json");
    HttpResponse<Buffer> tier = server.api.post("/admin/v1/tenants/" + slug + "/relocations", root,
      new JsonObject().put("isolation", "cloud"));
    assertThat(tier.statusCode()).isEqualTo(400);
    HttpResponse<Buffer> target = server.api.post("/admin/v1/tenants/" + slug + "/relocations", root,
      new JsonObject().put("isolation", "schema").put("target", new JsonObject().put("host", "127.0.0.1")));
    assertThat(target.statusCode()).isEqualTo(400);
    assertThat(target.bodyAsJsonObject().getString("detail")).contains("isolation=database");
    HttpResponse<Buffer> unknown = server.api.get("/admin/v1/tenants/" + slug + "/relocations/"
      + java.util.UUID.randomUUID(), root);
    assertThat(unknown.statusCode()).isEqualTo(404);
  }

  private JsonObject moveUnderWrites(String slug, String token, JsonObject request) {
    ContinuousWriter writer = new ContinuousWriter(server.http, token).start(4);
    Eventually.within(Duration.ofSeconds(30), "the writer has written", () -> writer.created.size() > 50);
    HttpResponse<Buffer> started = server.api.post("/admin/v1/tenants/" + slug + "/relocations", root, request);
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(202);
    assertThat(started.getHeader("Location")).endsWith("/relocations/" + started.bodyAsJsonObject().getString("id"));
    JsonObject job = finished(slug, started.bodyAsJsonObject().getString("id"));
    int atSwitch = writer.created.size();
    Eventually.within(Duration.ofSeconds(30), "writes after the switch", () -> writer.created.size() > atSwitch + 50);
    writer.stop();
    assertThat(job.getString("phase")).as(job.encode()).isIn("switched", "done");
    assertThat(job.getInteger("write_pause_ms")).isNotNull().isLessThan(5000);
    assertThat(writer.errors).as("refused or failed writes").isEmpty();
    checkEveryAcknowledgedWrite(token, writer);
    JsonObject verified = server.api.get("/admin/v1/tenants/" + slug + "/audit/verify", root).bodyAsJsonObject();
    assertThat(verified.getBoolean("intact")).as(verified.encode()).isTrue();
    return job;
  }

  /** Every acknowledged create is there once (its n once), every acknowledged delete is gone. */
  private void checkEveryAcknowledgedWrite(String token, ContinuousWriter writer) {
    Map<String, Integer> found = new HashMap<>();
    Set<String> updated = new HashSet<>();
    Set<Integer> numbers = new HashSet<>();
    String cursor = null;
    do {
      HttpResponse<Buffer> page = server.api.get("/api/v1/collections/moving/records?limit=500"
        + (cursor == null ? "" : "&cursor=" + cursor), token);
      assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
      JsonObject body = page.bodyAsJsonObject();
      for (Object o : body.getJsonArray("items")) {
        JsonObject r = (JsonObject) o;
        int n = r.getJsonObject("data").getInteger("n");
        assertThat(found.put(r.getString("id"), n)).as("record listed twice").isNull();
        assertThat(numbers.add(n)).as("write " + n + " applied twice").isTrue();
        if (r.getJsonObject("data").getBoolean("updated", false)) {
          updated.add(r.getString("id"));
        }
      }
      cursor = body.getString("next_cursor");
    } while (cursor != null);
    writer.created.forEach((id, n) -> {
      if (writer.deleted.containsKey(id)) {
        assertThat(found).as("deleted record " + id).doesNotContainKey(id);
      } else {
        assertThat(found.get(id)).as("acknowledged record " + id).isEqualTo(n);
        assertThat(updated.contains(id)).as("record " + id + " updated (acknowledged)")
          .isEqualTo(writer.updated.containsKey(id));
      }
    });
  }

  private JsonObject finished(String slug, String id) {
    JsonObject[] last = new JsonObject[1];
    Eventually.within(Duration.ofSeconds(120), "the move ends or switches", () -> {
      last[0] = server.api.get("/admin/v1/tenants/" + slug + "/relocations/" + id, root).bodyAsJsonObject();
      return Set.of("switched", "done", "failed", "cancelled").contains(last[0].getString("phase"));
    });
    return last[0];
  }

  private void oldCopyGoes(String slug, JsonObject job) {
    Eventually.within(Duration.ofSeconds(60), "the old copy is removed after the grace period", () ->
      "done".equals(server.api.get("/admin/v1/tenants/" + slug + "/relocations/" + job.getString("id"), root)
        .bodyAsJsonObject().getString("phase")));
  }

  private JsonObject tenantRow(String slug) {
    return server.api.get("/admin/v1/tenants/" + slug, root).bodyAsJsonObject();
  }

  private String tenant(String slug, String tier) {
    HttpResponse<Buffer> created = server.api.post("/admin/v1/tenants", root,
      new JsonObject().put("slug", slug).put("name", "Tenant " + slug).put("isolation", tier));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    server.addUser(root, slug, "admin@" + slug + ".test", "tenant_admin");
    // writers as fast as they can: the tenant's limits must not refuse them (a 429 is not what is under test)
    HttpResponse<Buffer> limits = server.api.put("/admin/v1/tenants/" + slug + "/limits", root,
      new JsonObject().put("rate", 100_000).put("burst", 200_000), null);
    assertThat(limits.statusCode()).as(limits.bodyAsString()).isEqualTo(200);
    String token = server.api.token("admin@" + slug + ".test", "password-of-admin@" + slug + ".test", slug);
    for (int i = 0; i < 20; i++) {
      HttpResponse<Buffer> r = server.api.post("/api/v1/collections/moving/records", token, new JsonObject().put("n", -1000 - i));
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    }
    return token;
  }
}
