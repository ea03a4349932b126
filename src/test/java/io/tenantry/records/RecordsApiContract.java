package io.tenantry.records;

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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The records API's behaviour, and bad input answered with the right problem while nothing stored changes —
 * run once per isolation tier (the subclasses), because the API must behave identically in all three.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RecordsApiContract {
  private static final String NOTES = "/api/v1/collections/notes/records";
  private TestServer ts;
  private String token;

  abstract String isolation();

  /** Configuration the server runs with besides the contract's own (the PgBouncer variants point it at PgBouncer). */
  Map<String, String> connection() {
    return Map.of();
  }

  @BeforeAll
  void start() {
    Map<String, String> config = new java.util.HashMap<>(connection());
    config.put("http.body-limit", "4096");
    ts = TestServer.start(config);
    String admin = ts.adminToken();
    HttpResponse<Buffer> created = ts.api.post("/admin/v1/tenants", admin,
      new JsonObject().put("slug", "records").put("name", "Records").put("isolation", isolation()));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getString("isolation")).isEqualTo(isolation());
    ts.addUser(admin, "records", "member@records.test", "member");
    token = ts.api.token("member@records.test", "password-of-member@records.test", "records");
  }

  @AfterAll
  void stop() {
    ts.close();
  }

  private JsonObject create(JsonObject data) {
    HttpResponse<Buffer> r = ts.api.post(NOTES, token, data);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  private JsonObject read(String id) {
    HttpResponse<Buffer> r = ts.api.get(NOTES + "/" + id, token);
    assertThat(r.statusCode()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  @Test
  void createReturnsIdVersionTimestampsETagAndLocation() {
    HttpResponse<Buffer> r = ts.api.post(NOTES, token, new JsonObject().put("title", "hello").put("tags", new JsonArray().add("a")));
    assertThat(r.statusCode()).isEqualTo(201);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("id")).hasSize(36);
    assertThat(body.getLong("version")).isEqualTo(1L);
    assertThat(body.getString("created_at")).isEqualTo(body.getString("updated_at"));
    assertThat(body.getString("collection")).isEqualTo("notes");
    assertThat(body.getJsonObject("data")).isEqualTo(new JsonObject().put("title", "hello").put("tags", new JsonArray().add("a")));
    assertThat(r.getHeader("ETag")).isEqualTo("\"1\"");
    assertThat(r.getHeader("Location")).isEqualTo(NOTES + "/" + body.getString("id"));
    assertThat(read(body.getString("id"))).isEqualTo(body);
  }

  @Test
  void putReplacesAndBumpsTheVersion() {
    JsonObject created = create(new JsonObject().put("a", 1).put("b", 2));
    String id = created.getString("id");
    HttpResponse<Buffer> r = ts.api.put(NOTES + "/" + id, token, new JsonObject().put("c", 3), "\"1\"");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("ETag")).isEqualTo("\"2\"");
    assertThat(r.bodyAsJsonObject().getJsonObject("data")).isEqualTo(new JsonObject().put("c", 3));
    assertThat(r.bodyAsJsonObject().getString("created_at")).isEqualTo(created.getString("created_at"));
  }

  @Test
  void patchAppliesAJsonMergePatch() {
    String id = create(new JsonObject().put("a", 1).put("nested", new JsonObject().put("x", 1).put("y", 2))).getString("id");
    JsonObject patch = new JsonObject().put("a", null).put("nested", new JsonObject().put("y", 3)).put("new", true);
    HttpResponse<Buffer> r = ts.api.patch(NOTES + "/" + id, token, patch, "\"1\"");
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getJsonObject("data"))
      .isEqualTo(new JsonObject().put("nested", new JsonObject().put("x", 1).put("y", 3)).put("new", true));
    // application/json is accepted for PATCH too
    var json = ts.api.request(HttpMethod.PATCH, NOTES + "/" + id, token);
    assertThat(ts.api.send(json, new JsonObject().put("z", 0)).bodyAsJsonObject().getLong("version")).isEqualTo(3L);
  }

  @Test
  void deleteRemovesTheRecord() {
    String id = create(new JsonObject().put("gone", true)).getString("id");
    assertThat(ts.api.delete(NOTES + "/" + id, token, "\"1\"").statusCode()).isEqualTo(204);
    assertProblem(ts.api.get(NOTES + "/" + id, token), 404);
    assertProblem(ts.api.delete(NOTES + "/" + id, token, null), 404);
  }

  @Test
  void staleIfMatchIsPreconditionFailedAndChangesNothing() {
    String id = create(new JsonObject().put("v", "original")).getString("id");
    assertThat(ts.api.put(NOTES + "/" + id, token, new JsonObject().put("v", "second"), "\"1\"").statusCode()).isEqualTo(200);
    assertProblem(ts.api.put(NOTES + "/" + id, token, new JsonObject().put("v", "lost update"), "\"1\""), 412);
    assertProblem(ts.api.patch(NOTES + "/" + id, token, new JsonObject().put("v", "lost update"), "\"1\""), 412);
    assertProblem(ts.api.delete(NOTES + "/" + id, token, "\"1\""), 412);
    assertProblem(ts.api.put(NOTES + "/" + id, token, new JsonObject().put("v", "weak"), "W/\"2\""), 412);
    JsonObject now = read(id);
    assertThat(now.getLong("version")).isEqualTo(2L);
    assertThat(now.getJsonObject("data").getString("v")).isEqualTo("second");
  }

  @Test
  void listsPageInCreationOrderWithACursor() {
    String collection = "/api/v1/collections/paged/records";
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(ts.api.post(collection, token, new JsonObject().put("i", i)).bodyAsJsonObject().getString("id"));
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      HttpResponse<Buffer> page = ts.api.get(collection + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), token);
      assertThat(page.statusCode()).isEqualTo(200);
      page.bodyAsJsonObject().getJsonArray("items").forEach(item -> seen.add(((JsonObject) item).getString("id")));
      cursor = page.bodyAsJsonObject().getString("next_cursor");
    } while (cursor != null);
    assertThat(seen).containsExactlyElementsOf(ids);
  }

  @Test
  void invalidJsonIsBadRequest() {
    var r = ts.api.send(ts.api.request(HttpMethod.POST, NOTES, token), "application/json", "{\"broken\":");
    assertProblem(r, 400);
  }

  @Test
  void aJsonValueThatIsNotAnObjectIsBadRequest() {
    assertProblem(ts.api.send(ts.api.request(HttpMethod.POST, NOTES, token), "application/json", "[1,2]"), 400);
    assertProblem(ts.api.send(ts.api.request(HttpMethod.POST, NOTES, token), "application/json", "\"text\""), 400);
    String id = create(new JsonObject().put("keep", 1)).getString("id");
    var patch = ts.api.request(HttpMethod.PATCH, NOTES + "/" + id, token);
    assertProblem(ts.api.send(patch, "application/merge-patch+json", "[1]"), 400);
    assertThat(read(id).getJsonObject("data")).isEqualTo(new JsonObject().put("keep", 1));
  }

  @Test
  void aWrongContentTypeIsUnsupportedMediaType() {
    assertProblem(ts.api.send(ts.api.request(HttpMethod.POST, NOTES, token), "text/plain", "{}"), 415);
  }

  @Test
  void anOversizedBodyIsPayloadTooLargeAndChangesNothing() {
    String id = create(new JsonObject().put("small", true)).getString("id");
    String big = "x".repeat(8192);
    assertProblem(ts.api.post(NOTES, token, new JsonObject().put("big", big)), 413);
    assertProblem(ts.api.put(NOTES + "/" + id, token, new JsonObject().put("big", big), null), 413);
    assertThat(read(id).getLong("version")).isEqualTo(1L);
  }

  @Test
  void aBadCollectionNameIsBadRequest() {
    for (String bad : List.of("Notes", "1notes", "no-tes", "n".repeat(64), "notes%27%3B--", "_x")) {
      assertProblem(ts.api.get("/api/v1/collections/" + bad + "/records", token), 400);
      assertProblem(ts.api.post("/api/v1/collections/" + bad + "/records", token, new JsonObject()), 400);
    }
  }

  @Test
  void anUnknownOrMalformedRecordId() {
    assertProblem(ts.api.get(NOTES + "/01a219eb-6297-7905-997b-38bc02096a29", token), 404);
    assertProblem(ts.api.put(NOTES + "/01a219eb-6297-7905-997b-38bc02096a29", token, new JsonObject(), null), 404);
    assertProblem(ts.api.get(NOTES + "/not-a-uuid", token), 400);
  }

  @Test
  void badPagingParametersAreBadRequest() {
    assertProblem(ts.api.get(NOTES + "?limit=0", token), 400);
    assertProblem(ts.api.get(NOTES + "?limit=501", token), 400);
    assertProblem(ts.api.get(NOTES + "?limit=ten", token), 400);
    assertProblem(ts.api.get(NOTES + "?cursor=forged", token), 400);
    String otherCollectionsCursor = java.util.Base64.getUrlEncoder().encodeToString(
      "records:paged|01a219eb-6297-7905-997b-38bc02096a29".getBytes());
    assertProblem(ts.api.get(NOTES + "?cursor=" + otherCollectionsCursor, token), 400);
  }

  @Test
  void aNulCharacterPostgresCannotStoreIsBadRequest() {
    var r = ts.api.send(ts.api.request(HttpMethod.POST, NOTES, token), "application/json", "{\"s\":\"a\\u0000b\"}");
    assertProblem(r, 400);
  }

  @Test
  void metadataInTheBodyIsStoredAsDataNeverAsMetadata() {
    JsonObject sneaky = new JsonObject().put("id", "00000000-0000-0000-0000-000000000001").put("version", 99)
      .put("tenant_id", "00000000-0000-0000-0000-000000000002");
    JsonObject created = create(sneaky);
    assertThat(created.getString("id")).isNotEqualTo("00000000-0000-0000-0000-000000000001");
    assertThat(created.getLong("version")).isEqualTo(1L);
    assertThat(created.getJsonObject("data")).isEqualTo(sneaky);
  }

  @Test
  void unknownRoutesAndMethodsAreProblems() {
    assertProblem(ts.api.get("/api/v2/nothing", token), 404);
    assertProblem(ts.api.get("/nothing-here", token), 404);
    // Without a token every path but the public ones is refused before routing: nothing to learn about routes.
    assertProblem(ts.api.get("/nothing-here", null), 401);
    assertProblem(ts.api.send(ts.api.request(HttpMethod.DELETE, NOTES, token)), 405);
  }
}
