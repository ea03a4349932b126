package io.tenantry.storage;

import io.tenantry.support.Await;
import io.tenantry.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A storage quota shared by a subtree (docs/storage.md "Quotas"), through the HTTP API against real PostgreSQL: a
 * parent whose subtree shares 1000 bytes, two children in different tiers (shared and schema) uploading into it,
 * concurrent uploads that cannot overshoot it, a delete that frees room, and the admin usage that shows it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubtreeStorageQuotaTest {
  private TestServer ts;
  private String root;
  private String parentAdmin;
  private String a;
  private String b;

  @BeforeAll
  void start() {
    ts = TestServer.start(Map.of("storage.backend", "local", "db.connect-timeout-ms", "30000",
      "storage.sweep-interval-ms", "200"));
    root = ts.adminToken();
    parentAdmin = ts.tenantWithUser(root, "sq-parent", "tenant_admin");
    a = child("sq-a", "shared");
    b = child("sq-b", "schema");
  }

  @AfterAll
  void stop() {
    if (ts != null) {
      ts.close();
    }
  }

  private String child(String slug, String tier) {
    return child(slug, tier, "sq-parent");
  }

  private String child(String slug, String tier, String parent) {
    HttpResponse<Buffer> r = ts.api.post("/admin/v1/tenants", root, new JsonObject().put("slug", slug).put("name", slug)
      .put("parent", parent).put("isolation", tier));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    ts.addUser(root, slug, "m@" + slug + ".test", "member");
    return ts.api.token("m@" + slug + ".test", "password-of-m@" + slug + ".test", slug);
  }

  private HttpResponse<Buffer> put(String path, String token, int size) {
    return Await.result(ts.api.request(HttpMethod.PUT, "/api/v1/files/" + path, token).sendBuffer(Buffer.buffer(new byte[size])), 30);
  }

  private HttpResponse<Buffer> shareQuota(JsonObject body) {
    return ts.api.put("/admin/v1/tenants/sq-parent/limits", root, body, null);
  }

  private JsonObject storage(String slug, String token) {
    HttpResponse<Buffer> r = ts.api.get("/admin/v1/tenants/" + slug + "/storage", token);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  @Test
  void childrenInDifferentTiersShareTheParentsQuota() {
    HttpResponse<Buffer> set = shareQuota(new JsonObject().put("storage_subtree_bytes", 1000).put("storage_subtree_files", 10));
    assertThat(set.statusCode()).as(set.bodyAsString()).isEqualTo(200);
    assertThat(set.bodyAsJsonObject().getJsonObject("storage").getLong("storage_subtree_bytes")).isEqualTo(1000L);

    assertThat(put("a1.bin", a, 400).statusCode()).isEqualTo(201);
    assertThat(put("b1.bin", b, 400).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> refused = put("b2.bin", b, 300);
    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(413);
    assertThat(refused.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(refused.bodyAsJsonObject().getString("type")).endsWith("storage-quota-exceeded");
    assertThat(ts.api.get("/api/v1/files/b2.bin", b).statusCode()).isEqualTo(404); // nothing kept
    assertThat(ts.api.get("/api/v1/files/b1.bin", b).body().length()).isEqualTo(400); // the caller's own file stays
    assertThat(ts.api.get("/api/v1/files/a1.bin", a).body().length()).isEqualTo(400);

    JsonObject parent = storage("sq-parent", parentAdmin);
    assertThat(parent.getLong("bytes")).isZero();
    JsonObject subtree = parent.getJsonObject("subtree");
    assertThat(subtree.getLong("storage_subtree_bytes")).isEqualTo(1000L);
    assertThat(subtree.getLong("bytes")).isEqualTo(800L);
    assertThat(subtree.getLong("files")).isEqualTo(2L);
    assertThat(subtree.getLong("reserved_bytes")).isZero();
    JsonObject childA = storage("sq-a", parentAdmin);
    assertThat(childA.getLong("bytes")).isEqualTo(400L);
    assertThat(childA.getLong("files")).isEqualTo(1L);
    assertThat(childA.getValue("subtree")).isNull();
    assertThat(ts.api.get("/admin/v1/tenants/sq-a/storage", a).statusCode()).isEqualTo(403); // a member
    assertThat(ts.api.get("/admin/v1/tenants/sq-parent/storage", a).statusCode()).isEqualTo(403);

    // deleting a file frees room in the subtree
    assertThat(ts.api.send(ts.api.request(HttpMethod.DELETE, "/api/v1/files/a1.bin", a)).statusCode()).isEqualTo(204);
    assertThat(storage("sq-parent", parentAdmin).getJsonObject("subtree").getLong("bytes")).isEqualTo(400L);
    assertThat(put("b2.bin", b, 300).statusCode()).isEqualTo(201);

    // twelve concurrent 100-byte uploads from both children into the 300 bytes left: exactly three fit
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      all.add(ts.api.request(HttpMethod.PUT, "/api/v1/files/c" + i, i % 2 == 0 ? a : b).sendBuffer(Buffer.buffer(new byte[100])));
    }
    Await.result(Future.join(all), 60);
    assertThat(all.stream().filter(f -> f.result().statusCode() == 201).count()).isEqualTo(3);
    all.stream().filter(f -> f.result().statusCode() != 201).forEach(f -> assertThat(f.result().statusCode()).isEqualTo(413));
    subtree = storage("sq-parent", root).getJsonObject("subtree");
    assertThat(subtree.getLong("bytes")).isEqualTo(1000L);
    assertThat(subtree.getLong("files")).isEqualTo(5L);
    assertThat(subtree.getLong("reserved_bytes")).isZero();
    long own = storage("sq-a", root).getLong("bytes") + storage("sq-b", root).getLong("bytes");
    assertThat(own).isEqualTo(1000L); // the recorded usage is the tiers' own

    // the file quota is shared too: five files taken, five allowed
    assertThat(shareQuota(new JsonObject().put("storage_subtree_files", 5)).statusCode()).isEqualTo(200);
    assertThat(ts.api.send(ts.api.request(HttpMethod.DELETE, "/api/v1/files/b1.bin", b)).statusCode()).isEqualTo(204);
    assertThat(put("b3.bin", b, 500).statusCode()).isEqualTo(201); // no byte quota now, one file freed
    HttpResponse<Buffer> sixth = put("a-empty.bin", a, 0);
    assertThat(sixth.statusCode()).as(sixth.bodyAsString()).isEqualTo(413);
    assertThat(sixth.bodyAsJsonObject().getString("detail")).contains("5 files");
  }

  /** A tenant whose files the platform has not counted yet (files from before, or an import) is counted by the sweeper. */
  @Test
  void aTenantWithoutAUsageRowIsCountedAgain() throws Exception {
    ts.createTenant(root, "sq-p2");
    String c = child("sq-c", "schema", "sq-p2");
    assertThat(ts.api.put("/admin/v1/tenants/sq-p2/limits", root, new JsonObject().put("storage_subtree_bytes", 100), null)
      .statusCode()).isEqualTo(200);
    assertThat(put("c1.bin", c, 60).statusCode()).isEqualTo(201);
    String id = ts.api.get("/admin/v1/tenants/sq-c", root).bodyAsJsonObject().getString("id");
    try (java.sql.Connection conn = io.tenantry.support.TestEnv.connect(ts.config.dbName(), io.tenantry.support.TestEnv.adminUser());
         java.sql.Statement st = conn.createStatement()) {
      st.execute("DELETE FROM platform.storage_usage WHERE tenant_id = '" + id + "'");
    }
    io.tenantry.support.Eventually.within(java.time.Duration.ofSeconds(20), "the sweeper counts sq-c again",
      () -> storage("sq-p2", root).getJsonObject("subtree").getLong("bytes") == 60L);
    assertThat(put("c2.bin", c, 50).statusCode()).isEqualTo(413);
    // an upload of unknown length reserves what the subtree has left (40 bytes) and is cut off beyond it
    java.nio.file.Path file = java.nio.file.Files.createTempFile("tenantry-subtree-", ".bin");
    java.nio.file.Files.write(file, new byte[50]);
    io.vertx.core.file.AsyncFile chunked = Await.result(ts.vertx.fileSystem().open(file.toString(),
      new io.vertx.core.file.OpenOptions().setRead(true)));
    HttpResponse<Buffer> cut = Await.result(ts.api.request(HttpMethod.PUT, "/api/v1/files/c2.bin", c).sendStream(chunked), 30);
    java.nio.file.Files.delete(file);
    assertThat(cut.statusCode()).as(cut.bodyAsString()).isEqualTo(413);
    assertThat(ts.api.get("/api/v1/files/c2.bin", c).statusCode()).isEqualTo(404);
    assertThat(put("c2.bin", c, 40).statusCode()).isEqualTo(201);
    assertThat(storage("sq-p2", root).getJsonObject("subtree").getLong("bytes")).isEqualTo(100L);
  }

  @Test
  void badSubtreeQuotasAreRefused() {
    for (Object bad : List.of(-1, 1.5, "1000", true)) {
      HttpResponse<Buffer> r = ts.api.put("/admin/v1/tenants/sq-b/limits", root, new JsonObject().put("storage_subtree_bytes", bad), null);
      assertThat(r.statusCode()).as(bad + ": " + r.bodyAsString()).isEqualTo(400);
      assertThat(r.getHeader("Content-Type")).startsWith("application/problem+json");
      assertThat(r.bodyAsString()).contains("storage_subtree_bytes");
      HttpResponse<Buffer> files = ts.api.put("/admin/v1/tenants/sq-b/limits", root, new JsonObject().put("storage_subtree_files", bad), null);
      assertThat(files.statusCode()).as(bad + ": " + files.bodyAsString()).isEqualTo(400);
    }
    assertThat(storage("sq-b", root).getValue("subtree")).isNull();
  }
}
