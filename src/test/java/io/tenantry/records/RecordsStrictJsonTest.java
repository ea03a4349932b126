package io.tenantry.records;

import io.tenantry.support.HostileJson;
import io.tenantry.support.TestEnv;
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

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;

import static io.tenantry.support.HostileJson.nested;
import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request bodies the server could not store and give back unchanged are refused with 400 on every records write
 * (create, replace, merge patch) and on the other JSON routes; what is accepted reads back as sent; and a stored
 * document that cannot be encoded into a response is answered at once with a 500 problem, not left hanging.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordsStrictJsonTest {
  private static final String NOTES = "/api/v1/collections/notes/records";
  private TestServer ts;
  private String admin;
  private String token;
  private UUID tenantId;

  @BeforeAll
  void start() {
    ts = TestServer.start();
    admin = ts.adminToken();
    tenantId = UUID.fromString(ts.createTenant(admin, "strict").getString("id"));
    ts.addUser(admin, "strict", "member@strict.test", "member");
    token = ts.api.token("member@strict.test", "password-of-member@strict.test", "strict");
  }

  @AfterAll
  void stop() {
    ts.close();
  }

  private HttpResponse<Buffer> sendRaw(HttpMethod method, String path, String contentType, Buffer body, String bearer) {
    HttpRequest<Buffer> request = ts.api.request(method, path, bearer).putHeader("Content-Type", contentType);
    return io.tenantry.support.Await.result(request.sendBuffer(body), 30);
  }

  private JsonObject create(JsonObject data) {
    HttpResponse<Buffer> r = ts.api.post(NOTES, token, data);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  @Test
  void hostileBodiesAreRefusedOnCreateReplaceAndPatchAndNothingChanges() {
    JsonObject existing = create(new JsonObject().put("owner", "me").put("n", 1));
    String path = NOTES + "/" + existing.getString("id");
    HostileJson.bodies().forEach((detail, body) -> {
      assertThat(assertProblem(sendRaw(HttpMethod.POST, NOTES, "application/json", body, token), 400)
        .getString("detail")).as("create").contains(detail);
      assertThat(assertProblem(sendRaw(HttpMethod.PUT, path, "application/json", body, token), 400)
        .getString("detail")).as("replace").contains(detail);
      assertThat(assertProblem(sendRaw(HttpMethod.PATCH, path, "application/merge-patch+json", body, token), 400)
        .getString("detail")).as("patch").contains(detail);
    });
    HttpResponse<Buffer> after = ts.api.get(path, token);
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.bodyAsJsonObject().getLong("version")).isEqualTo(1L);
    assertThat(after.bodyAsJsonObject().getJsonObject("data")).isEqualTo(new JsonObject().put("owner", "me").put("n", 1));
  }

  @Test
  void theDeeplyNestedRecordOfTheFindingIsRefusedAndTheCollectionStillLists() {
    JsonObject mine = create(new JsonObject().put("mine", true));
    for (int depth : new int[] {998, 999, 1000, 1001, 65}) {
      assertProblem(sendRaw(HttpMethod.POST, NOTES, "application/json", Buffer.buffer(nested(depth)), token), 400);
    }
    HttpResponse<Buffer> list = ts.api.get(NOTES + "?limit=100", token);
    assertThat(list.statusCode()).as(list.bodyAsString()).isEqualTo(200);
    assertThat(list.bodyAsString()).contains(mine.getString("id"));
  }

  @Test
  void nestingAtTheLimitIsStoredAndReadBack() {
    Buffer body = Buffer.buffer(nested(64));
    HttpResponse<Buffer> created = sendRaw(HttpMethod.POST, NOTES, "application/json", body, token);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonObject read = ts.api.get(NOTES + "/" + created.bodyAsJsonObject().getString("id"), token).bodyAsJsonObject();
    assertThat(read.getJsonObject("data")).isEqualTo(new JsonObject(body));
  }

  @Test
  void acceptedValuesComeBackExactly() {
    String big = "123456789012345678901234567890123456789";
    String json = "{\"big\":" + big + ",\"max\":1.7976931348623157E308,\"tiny\":4.9E-324,\"emoji\":\"\\ud83d\\ude00\","
      + "\"raw\":\"é 中 😀\",\"slash\":\"a/b\"}";
    HttpResponse<Buffer> created = sendRaw(HttpMethod.POST, NOTES, "application/json",
      Buffer.buffer(json.getBytes(StandardCharsets.UTF_8)), token);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    HttpResponse<Buffer> read = ts.api.get(NOTES + "/" + created.bodyAsJsonObject().getString("id"), token);
    assertThat(read.bodyAsString()).contains("\"big\":" + big);
    JsonObject data = read.bodyAsJsonObject().getJsonObject("data");
    assertThat(data.getDouble("max")).isEqualTo(Double.MAX_VALUE);
    assertThat(data.getDouble("tiny")).isEqualTo(Double.MIN_VALUE);
    assertThat(data.getString("emoji")).isEqualTo("😀");
    assertThat(data.getString("raw")).isEqualTo("é 中 😀");
    assertThat(data.getString("slash")).isEqualTo("a/b");
  }

  /** Bodies of 64 KiB and more are checked off the event loop, by the same rules. */
  @Test
  void largeBodiesAreCheckedToo() {
    String pad = "x".repeat(100_000);
    HttpResponse<Buffer> refused = sendRaw(HttpMethod.POST, NOTES, "application/json",
      Buffer.buffer("{\"pad\":\"" + pad + "\",\"n\":1e400}"), token);
    assertThat(assertProblem(refused, 400).getString("detail")).contains("beyond the range of a double");
    HttpResponse<Buffer> created = sendRaw(HttpMethod.POST, NOTES, "application/json",
      Buffer.buffer("{\"pad\":\"" + pad + "\",\"n\":1.5}"), token);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getJsonObject("data").getString("pad")).isEqualTo(pad);
  }

  @Test
  void patchBodiesOfOtherMediaTypesAreNotReadAsJson() {
    String path = NOTES + "/" + create(new JsonObject().put("k", "v")).getString("id");
    HttpResponse<Buffer> r = sendRaw(HttpMethod.PATCH, path, "text/plain", Buffer.buffer("{\"k\":1 /* c */, \"k\":2}"), token);
    assertThat(r.statusCode()).isIn(400, 415);
    assertThat(ts.api.get(path, token).bodyAsJsonObject().getJsonObject("data")).isEqualTo(new JsonObject().put("k", "v"));
  }

  @Test
  void theOtherJsonRoutesAreCheckedToo() {
    assertThat(assertProblem(sendRaw(HttpMethod.POST, "/admin/v1/tenants", "application/json",
      Buffer.buffer("{\"slug\":\"dup-one\",\"name\":\"x\",\"slug\":\"dup-two\"}"), admin), 400).getString("detail"))
      .contains("appears twice");
    assertProblem(ts.api.get("/admin/v1/tenants/dup-one", admin), 404);
    assertProblem(ts.api.get("/admin/v1/tenants/dup-two", admin), 404);
    assertThat(assertProblem(sendRaw(HttpMethod.POST, "/auth/token", "application/json",
      Buffer.buffer("{\"email\":\"member@strict.test\", // who\n\"password\":\"password-of-member@strict.test\"}"), null), 400)
      .getString("detail")).contains("comments");
    assertThat(assertProblem(sendRaw(HttpMethod.PUT, "/admin/v1/plans/huge", "application/json",
      Buffer.buffer("{\"rate\":1e400,\"burst\":10}"), admin), 400).getString("detail")).contains("beyond the range");
    assertThat(ts.api.get("/admin/v1/plans", admin).bodyAsString()).doesNotContain("huge");
    assertThat(assertProblem(sendRaw(HttpMethod.PUT, "/admin/v1/tenants/strict/limits", "application/json",
      Buffer.buffer("{\"rate\":5,\"burst\":\"\\udc00\"}"), admin), 400).getString("detail")).contains("unpaired surrogate");
  }

  /**
   * Documents written before the depth limit existed (here straight into the table) that a response cannot carry:
   * 1000 levels are read from PostgreSQL but cannot be encoded once wrapped in the record, 1001 cannot even be read.
   * Each read and the list fail at once with a 500 problem naming the request.
   */
  @Test
  void storedRecordsThatCannotBeEncodedAreAnsweredPromptlyWithAProblem() throws Exception {
    for (int depth : new int[] {1000, 1001}) {
      String id = create(new JsonObject().put("soon", "too deep")).getString("id");
      try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser());
           PreparedStatement ps = c.prepareStatement("UPDATE shared.records SET data = ?::jsonb WHERE tenant_id = ? AND id = ?")) {
        ps.setString(1, nested(depth));
        ps.setObject(2, tenantId);
        ps.setObject(3, UUID.fromString(id));
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      for (String path : new String[] {NOTES + "/" + id, NOTES + "?limit=100"}) {
        long started = System.nanoTime();
        HttpResponse<Buffer> r = ts.api.get(path, token);
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertThat(r.statusCode()).as("%s at depth %d", path, depth).isEqualTo(500);
        JsonObject problem = assertProblem(r, 500);
        assertThat(problem.getString("instance")).isEqualTo("urn:tenantry:request:" + r.getHeader("X-Request-Id"));
        assertThat(ms).as("answered within 5 s").isLessThan(5_000);
      }
      try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser());
           PreparedStatement ps = c.prepareStatement("DELETE FROM shared.records WHERE tenant_id = ? AND id = ?")) {
        ps.setObject(1, tenantId);
        ps.setObject(2, UUID.fromString(id));
        ps.executeUpdate();
      }
    }
  }
}
